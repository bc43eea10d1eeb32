package org.rxrpc.transport.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.io.NativeLibraryRequired.bytes;
import static org.rxrpc.transport.io.NativeLibraryRequired.pattern;
import static org.rxrpc.transport.io.NativeLibraryRequired.receiveSome;
import static org.rxrpc.transport.io.NativeLibraryRequired.udp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class NativeDatagramIoReceivesABatchFromManySocketsInOneCallTest {
    private static final int SENDERS = 48;
    private static final int EACH = 3; // 144 datagrams: more than one recvmmsg chunk of 64

    @BeforeAll
    static void library() {
        NativeLibraryRequired.require();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void manyDatagramsFromManySocketsComeInOneReceiveWithTheirSources(String loopback) throws Exception {
        List<NioDatagramIo> senders = new ArrayList<>();
        try (NativeDatagramIo nat = new NativeDatagramIo(loopback, 0, 4 << 20)) {
            for (int s = 0; s < SENDERS; s++) senders.add(new NioDatagramIo(loopback, 0, 64 * 1024));
            UdpAddress to = udp(nat.localAddress());
            ByteBuffer out = ByteBuffer.allocateDirect(2048);
            for (int round = 0; round < EACH; round++) {
                for (int s = 0; s < SENDERS; s++) {
                    int length = 16 + s * 20 + round; // a different length for every datagram
                    out.putInt(0, s).putInt(4, round);
                    for (int i = 8; i < length; i++) out.put(i, (byte) (s ^ round ^ i));
                    assertTrue(senders.get(s).send(out, length, to));
                }
            }
            nat.await(1000); // loopback delivers during sendto; this only guards a slow softirq
            Thread.sleep(100);

            ReceiveBatch batch = new ReceiveBatch(SENDERS * EACH + 10);
            int n = nat.receive(batch);

            assertEquals(SENDERS * EACH, n, "everything waiting, in one receive");
            assertEquals(n, batch.count());
            for (int i = 0; i < n; i++) {
                ByteBuffer data = batch.data(i);
                int s = data.getInt(0);
                int round = data.getInt(4);
                assertEquals(i % SENDERS, s, "arrival order is send order");
                assertEquals(i / SENDERS, round);
                int length = 16 + s * 20 + round;
                assertEquals(length, batch.length(i));
                for (int b = 8; b < length; b++) assertEquals((byte) (s ^ round ^ b), data.get(b));
                assertTrue(batch.source(i).sameAs(udp(senders.get(s).localAddress())), "source of slot " + i);
            }
            assertEquals(0, nat.receive(batch), "nothing left");
            assertEquals(0, batch.count());
        } finally {
            for (NioDatagramIo s : senders) s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aDatagramLongerThanASlotIsReportedAsMinusOneAndTheNextOneIsIntact(String loopback) throws IOException {
        try (NativeDatagramIo nat = new NativeDatagramIo(loopback, 0, 1 << 20);
                NioDatagramIo nio = new NioDatagramIo(loopback, 0, 1 << 20)) {
            UdpAddress to = udp(nat.localAddress());
            int tooLong = ReceiveBatch.SLOT_BYTES + 3000;
            assertTrue(nio.send(pattern(tooLong, 1), tooLong, to));
            assertTrue(nio.send(pattern(100, 2), 100, to));
            assertTrue(nio.send(pattern(ReceiveBatch.SLOT_BYTES, 3), ReceiveBatch.SLOT_BYTES, to));

            ReceiveBatch batch = new ReceiveBatch(8);
            int n = 0;
            int[] lengths = new int[3];
            byte[][] contents = new byte[3][];
            while (n < 3) {
                int got = receiveSome(nat, batch);
                for (int i = 0; i < got && n < 3; i++, n++) {
                    lengths[n] = batch.length(i);
                    contents[n] = bytes(batch.data(i), Math.max(0, batch.length(i)));
                    assertTrue(batch.source(i).sameAs(udp(nio.localAddress())));
                }
            }

            assertEquals(-1, lengths[0], "truncated");
            assertEquals(100, lengths[1]);
            assertArrayEquals(bytes(pattern(100, 2), 100), contents[1]);
            assertEquals(ReceiveBatch.SLOT_BYTES, lengths[2], "exactly a slot is not truncated (NIO cannot tell)");
            assertArrayEquals(bytes(pattern(ReceiveBatch.SLOT_BYTES, 3), ReceiveBatch.SLOT_BYTES), contents[2]);
        }
    }
}
