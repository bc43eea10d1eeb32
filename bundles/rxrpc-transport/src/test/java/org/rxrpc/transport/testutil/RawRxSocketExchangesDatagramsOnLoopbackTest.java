package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawRxSocketExchangesDatagramsOnLoopbackTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void bindsToAnEphemeralLoopbackPort() throws IOException {
        try (RawRxSocket s = RawRxSocket.open()) {
            assertEquals(InetAddress.getLoopbackAddress(), s.address().getAddress());
            assertNotEquals(0, s.address().getPort());
        }
    }

    @Test
    void deliversDatagramsWithTheirSource() throws IOException {
        try (RawRxSocket client = RawRxSocket.open();
                RawRxSocket server = RawRxSocket.open()) {
            byte[] request = Captures.udp(Captures.A_SINGLE_RPC).get(0).payload();

            client.send(server.address(), request);
            RawRxSocket.Received got = server.receiveFrom(WAIT);

            assertArrayEquals(request, got.data());
            assertEquals(client.address(), got.source());

            server.send(got.source(), new byte[] {7});
            assertArrayEquals(new byte[] {7}, client.receive(WAIT));
        }
    }

    @Test
    void returnsNullWhenNothingArrivesInTime() throws IOException {
        try (RawRxSocket s = RawRxSocket.open()) {
            long start = System.nanoTime();
            assertNull(s.receive(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(40).toNanos());
            assertNull(s.receive(Duration.ZERO), "a zero timeout must not mean 'wait forever'");
        }
    }

    @Test
    void receiveAllCollectsEverythingUntilTheLinkGoesQuiet() throws IOException {
        try (RawRxSocket client = RawRxSocket.open();
                RawRxSocket server = RawRxSocket.open()) {
            for (int i = 0; i < 5; i++) {
                client.send(server.address(), new byte[] {(byte) i});
            }

            List<byte[]> all = server.receiveAll(Duration.ofMillis(200));

            assertEquals(5, all.size());
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(new byte[] {(byte) i}, all.get(i));
            }
            assertTrue(server.receiveAll(Duration.ofMillis(20)).isEmpty());
        }
    }
}
