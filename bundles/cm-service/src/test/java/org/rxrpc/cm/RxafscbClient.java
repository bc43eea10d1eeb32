package org.rxrpc.cm;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;

/** Test client: writes the opcode and argument bytes by hand, returns the raw reply or the abort code. */
final class RxafscbClient {
    /** The outcome of one call: the reply bytes, or the abort code (reply null). */
    record Result(ByteBuffer reply, int abortCode) {
        ByteBuffer ok() {
            if (reply == null) throw new AssertionError("call aborted with " + abortCode);
            return reply;
        }
    }

    private final RxEndpoint endpoint;
    private final InetSocketAddress server;

    RxafscbClient(RxEndpoint endpoint, InetSocketAddress server) {
        this.endpoint = endpoint;
        this.server = server;
    }

    Result call(int op, int... args) throws InterruptedException {
        ByteBuffer req = ByteBuffer.allocate(4 + 4 * args.length);
        req.putInt(op);
        for (int a : args) req.putInt(a);
        return raw(req.flip());
    }

    Result raw(ByteBuffer request) throws InterruptedException {
        try (RxCall call =
                endpoint.newCall(server, Rxafscb.SERVICE_ID, CallOptions.DEFAULT.withHardTimeoutMillis(10_000), null)) {
            call.send(request, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            try {
                while (true) {
                    buf.clear();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new AssertionError("reply not complete in 15 s");
                    int n = call.receive(buf, left, TimeUnit.NANOSECONDS);
                    if (n < 0) break;
                    out.write(buf.array(), 0, n);
                }
            } catch (RxCallAbortedException e) {
                return new Result(null, e.abortCode());
            }
            return new Result(ByteBuffer.wrap(out.toByteArray()), 0);
        }
    }
}
