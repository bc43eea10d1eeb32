package org.rxrpc.transport.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class NativeDatagramIoBindFailsLikeNioTest {

    @BeforeAll
    static void library() {
        NativeLibraryRequired.require();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aPortInUseFailsWithTheEndpointMessageAndTheReason(String loopback) {
        try (NioDatagramIo taken = new NioDatagramIo(loopback, 0, 65536)) {
            int port = taken.localAddress().getPort();
            UncheckedIOException e =
                    assertThrows(UncheckedIOException.class, () -> new NativeDatagramIo(loopback, port, 65536));
            assertEquals("cannot bind Rx endpoint to " + loopback + ":" + port, e.getMessage());
            assertTrue(
                    e.getCause().getMessage().contains("Address already in use"),
                    e.getCause().getMessage());
            UncheckedIOException nio =
                    assertThrows(UncheckedIOException.class, () -> new NioDatagramIo(loopback, port, 65536));
            assertEquals(nio.getMessage(), e.getMessage(), "the same message as NIO");
        }
    }

    @Test
    void anAddressNotOnThisMachineFails() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a host
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> new NativeDatagramIo("192.0.2.1", 0, 65536));
        assertEquals("cannot bind Rx endpoint to 192.0.2.1:0", e.getMessage());
        assertTrue(
                e.getCause().getMessage().contains("Cannot assign requested address"),
                e.getCause().getMessage());
    }

    @Test
    void aPortOutOfRangeFailsTheSameWay() {
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> new NativeDatagramIo("127.0.0.1", 70000, 65536));
        assertEquals("cannot bind Rx endpoint to 127.0.0.1:70000", e.getMessage());
    }
}
