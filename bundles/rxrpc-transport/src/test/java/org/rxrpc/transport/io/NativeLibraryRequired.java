package org.rxrpc.transport.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Shared by the native tests: the library, and small helpers to move datagrams in a bounded time. */
final class NativeLibraryRequired {
    private NativeLibraryRequired() {}

    /** The build makes the library for Linux x86-64: there it must load (a failure, not a skip). */
    static void require() {
        boolean platform = NativeLibrary.isLinuxX8664(System.getProperty("os.name"), System.getProperty("os.arch"));
        assumeTrue(platform, "librxrpc_native.so is built for Linux x86-64 only");
        assertTrue(
                NativeDatagramIo.available(),
                () -> "native library not loaded: " + NativeDatagramIo.unavailableReason());
    }

    /** Receives into {@code batch} until at least one datagram came, waiting up to 5 s. */
    static int receiveSome(DatagramIo io, ReceiveBatch batch) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            int n = io.receive(batch);
            if (n > 0) return n;
            if (System.nanoTime() > deadline)
                throw new AssertionError("nothing received in 5 s on " + io.localAddress());
            io.await(100);
        }
    }

    /** A direct buffer holding {@code size} bytes of a pattern that depends on {@code seed}. */
    static ByteBuffer pattern(int size, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(size, 1));
        for (int i = 0; i < size; i++) b.put(i, (byte) (i * 31 + seed));
        return b;
    }

    static byte[] bytes(ByteBuffer b, int length) {
        byte[] a = new byte[length];
        b.get(0, a, 0, length);
        return a;
    }

    static UdpAddress udp(InetSocketAddress a) {
        UdpAddress u = new UdpAddress();
        u.set(a);
        return u;
    }
}
