package org.rxrpc.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.io.NativeLibraryRequired.bytes;
import static org.rxrpc.transport.io.NativeLibraryRequired.pattern;
import static org.rxrpc.transport.io.NativeLibraryRequired.receiveSome;
import static org.rxrpc.transport.io.NativeLibraryRequired.udp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class NativeDatagramIoExchangesDatagramsWithNioTest {
    private static final int BUFFERS = 1 << 20;
    /** From a 1-byte datagram to a full slot: Rx sizes (28-byte header, 1412, maxMTU 5692) included. */
    private static final int[] SIZES = {1, 28, 1412, 5692, ReceiveBatch.SLOT_BYTES};

    @BeforeAll
    static void library() {
        NativeLibraryRequired.require();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void datagramsGoBothWaysWithExactBytesLengthsAndSources(String loopback) throws IOException {
        try (NativeDatagramIo nat = new NativeDatagramIo(loopback, 0, BUFFERS);
                NioDatagramIo nio = new NioDatagramIo(loopback, 0, BUFFERS)) {
            InetAddress ip = InetAddress.getByName(loopback);
            assertEquals(ip, nat.localAddress().getAddress());
            assertNotEquals(0, nat.localAddress().getPort(), "port 0 binds an ephemeral port, reported as such");
            assertEquals("native recvmmsg", nat.kind());
            UdpAddress toNative = udp(nat.localAddress());
            UdpAddress nioAddress = udp(nio.localAddress());
            ReceiveBatch atNative = new ReceiveBatch(4);
            ReceiveBatch atNio = new ReceiveBatch(4);

            for (int size : SIZES) {
                // NIO -> native
                ByteBuffer out = pattern(size, size);
                assertTrue(nio.send(out, size, toNative));
                assertEquals(1, receiveSome(nat, atNative));
                assertEquals(size, atNative.length(0));
                assertArrayEquals(bytes(out, size), bytes(atNative.data(0), size));
                UdpAddress source = atNative.source(0);
                assertTrue(source.sameAs(nioAddress), () -> source + " is not " + nio.localAddress());
                assertEquals(nio.localAddress(), source.toSocketAddress());
                assertEquals(loopback.contains(":"), source.isV6());

                // native -> NIO, back to the source as received (no JDK address object behind it)
                ByteBuffer back = pattern(size, size + 1);
                assertTrue(nat.send(back, size, source));
                assertEquals(0, back.position(), "the buffer is left cleared, as NIO leaves it");
                assertEquals(back.capacity(), back.limit());
                assertEquals(1, receiveSome(nio, atNio));
                assertEquals(size, atNio.length(0) == -1 ? ReceiveBatch.SLOT_BYTES : atNio.length(0));
                assertArrayEquals(bytes(back, size), bytes(atNio.data(0), size));
                assertEquals(nat.localAddress(), atNio.source(0).toSocketAddress());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "::"})
    void aBatchOfSendsGoesOutAtTheFlushInOrderWithExactBytesAndAFullBatchAtOnce(String bind) throws IOException {
        String loopback = bind.equals("::") ? "127.0.0.1" : bind; // a dual-stack socket to an IPv4 peer too
        try (NativeDatagramIo nat = new NativeDatagramIo(bind, 0, BUFFERS);
                NioDatagramIo nio = new NioDatagramIo(loopback, 0, BUFFERS)) {
            UdpAddress to = udp(nio.localAddress());
            ReceiveBatch at = new ReceiveBatch(NativeDatagramIo.MAX_CHUNK * 2);
            nat.beginBatch();
            int[] sizes = {28, 1412, 5692, 1, NativeDatagramIo.SEND_SLOT_BYTES};
            for (int i = 0; i < sizes.length; i++) assertTrue(nat.send(pattern(sizes[i], i), sizes[i], to));
            assertEquals(0, nio.receive(at), "nothing before the flush");
            assertEquals(0, nat.flush());
            int got = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got < sizes.length && System.nanoTime() < deadline) {
                ReceiveBatch one = new ReceiveBatch(sizes.length);
                int n = nio.receive(one);
                for (int k = 0; k < n; k++, got++) {
                    assertEquals(sizes[got], one.length(k));
                    assertArrayEquals(bytes(pattern(sizes[got], got), sizes[got]), bytes(one.data(k), sizes[got]));
                    assertEquals(nat.localAddress().getPort(), one.source(k).port());
                }
            }
            assertEquals(sizes.length, got, "every datagram, in order");

            // A full batch goes out at once, without waiting for the flush; after the flush, sends are direct.
            nat.beginBatch();
            for (int i = 0; i < NativeDatagramIo.MAX_CHUNK; i++) assertTrue(nat.send(pattern(40, i), 40, to));
            assertEquals(NativeDatagramIo.MAX_CHUNK, receiveAtLeast(nio, NativeDatagramIo.MAX_CHUNK));
            assertEquals(0, nat.flush());
            assertTrue(nat.send(pattern(40, 99), 40, to));
            assertEquals(1, receiveAtLeast(nio, 1));
        }
    }

    private static int receiveAtLeast(NioDatagramIo nio, int count) throws IOException {
        ReceiveBatch batch = new ReceiveBatch(count);
        int got = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got < count && System.nanoTime() < deadline) got += nio.receive(batch);
        return got;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::"})
    void aWildcardSocketSeesIpv4PeersAsIpv4AndAnswersThem(String wildcard) throws IOException {
        try (NativeDatagramIo nat = new NativeDatagramIo(wildcard, 0, BUFFERS);
                NioDatagramIo nio = new NioDatagramIo("127.0.0.1", 0, BUFFERS)) {
            assertEquals(InetAddress.getByName(wildcard), nat.localAddress().getAddress());
            UdpAddress toNative =
                    udp(new InetSocketAddress("127.0.0.1", nat.localAddress().getPort()));
            ReceiveBatch batch = new ReceiveBatch(2);

            assertTrue(nio.send(pattern(100, 3), 100, toNative));
            assertEquals(1, receiveSome(nat, batch));
            UdpAddress source = batch.source(0);
            assertFalse(source.isV6(), "an IPv4-mapped source on a dual-stack socket comes out as IPv4");
            assertEquals(0x7f000001, source.ipv4());
            assertEquals(nio.localAddress().getPort(), source.port());
            assertTrue(source.sameAs(udp(nio.localAddress())));

            assertTrue(nat.send(pattern(50, 4), 50, source));
            assertEquals(1, receiveSome(nio, batch));
            assertEquals(50, batch.length(0));
            assertArrayEquals(bytes(pattern(50, 4), 50), bytes(batch.data(0), 50));
        }
    }

    @Test
    void aDualStackSocketTalksToIpv6PeersToo() throws IOException {
        try (NativeDatagramIo nat = new NativeDatagramIo("::", 0, BUFFERS);
                NioDatagramIo nio = new NioDatagramIo("::1", 0, BUFFERS)) {
            ReceiveBatch batch = new ReceiveBatch(2);
            assertTrue(nio.send(
                    pattern(10, 5),
                    10,
                    udp(new InetSocketAddress("::1", nat.localAddress().getPort()))));
            assertEquals(1, receiveSome(nat, batch));
            assertTrue(batch.source(0).isV6());
            assertTrue(batch.source(0).sameAs(udp(nio.localAddress())));
            assertTrue(nat.send(pattern(10, 6), 10, batch.source(0)));
            assertEquals(1, receiveSome(nio, batch));
            assertArrayEquals(bytes(pattern(10, 6), 10), bytes(batch.data(0), 10));
        }
    }

    @Test
    void anIpv4SocketCannotSendToAnIpv6AddressAndSaysWhy() {
        try (NativeDatagramIo nat = new NativeDatagramIo("127.0.0.1", 0, BUFFERS)) {
            UdpAddress v6 = udp(new InetSocketAddress("::1", 7000));
            IOException e = assertThrows(IOException.class, () -> nat.send(pattern(8, 0), 8, v6));
            assertTrue(e.getMessage().contains("Address family not supported"), e.getMessage());
            assertTrue(e.getMessage().startsWith("sendto "), e.getMessage());
        }
    }

    @Test
    void sendingFromAHeapBufferIsRefused() {
        try (NativeDatagramIo nat = new NativeDatagramIo("127.0.0.1", 0, BUFFERS)) {
            UdpAddress to = udp(nat.localAddress());
            assertThrows(IllegalArgumentException.class, () -> nat.send(ByteBuffer.allocate(8), 8, to));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void socketBuffersAreSetAsNioSetsThem(String loopback) {
        try (NativeDatagramIo nat = new NativeDatagramIo(loopback, 0, 256 * 1024);
                NioDatagramIo nio = new NioDatagramIo(loopback, 0, 256 * 1024)) {
            assertTrue(nat.receiveBufferSize() >= 256 * 1024, "SO_RCVBUF " + nat.receiveBufferSize());
            assertEquals(nio.receiveBufferSize(), nat.receiveBufferSize());
        }
    }
}
