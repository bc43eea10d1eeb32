package org.rxrpc.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.RxCall;

/** Small helpers for tests that drive calls by hand. */
final class TestCalls {
    private TestCalls() {}

    /** Reads the other side's whole message. */
    static byte[] readAll(RxCall call, long timeoutSeconds) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            buf.clear();
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("message not complete in " + timeoutSeconds + " s");
            int n = call.receive(buf, left, TimeUnit.NANOSECONDS);
            if (n < 0) return out.toByteArray();
            out.write(buf.array(), 0, n);
        }
    }

    /** Serves one echo call: reads the request and sends it back as the reply. */
    static void echo(RxCall call) throws InterruptedException {
        byte[] request = readAll(call, 30);
        call.send(ByteBuffer.wrap(request), true);
        call.awaitCompletion(30, TimeUnit.SECONDS);
    }

    /** A client call: sends {@code request}, returns the reply. */
    static byte[] roundTrip(RxCall call, byte[] request) throws InterruptedException {
        call.send(ByteBuffer.wrap(request), true);
        return readAll(call, 60);
    }
}
