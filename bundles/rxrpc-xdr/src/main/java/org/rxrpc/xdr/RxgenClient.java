package org.rxrpc.xdr;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;

/**
 * The base of generated client stubs: each procedure is one blocking call to one server. The request is
 * encoded straight into the call (the opcode, then the arguments); the reply is decoded as it arrives and
 * must end exactly where the OUT values end.
 *
 * <p>Errors: the server's ABORT, a timeout ({@code RX_CALL_TIMEOUT} after {@code timeout} without reply
 * data, or the options' hard timeout), an argument that cannot be encoded ({@code RXGEN_CC_MARSHAL}) and a
 * reply that cannot be decoded ({@code RXGEN_CC_UNMARSHAL}) all end the call and surface as
 * {@link RxCallAbortedException} with the code.
 */
public abstract class RxgenClient {
    private final RxEndpoint endpoint;
    private final InetSocketAddress server;
    private final int serviceId;
    private final CallOptions options;
    private final long timeoutNanos;

    /**
     * @param timeout the longest wait for the next reply bytes
     */
    protected RxgenClient(
            RxEndpoint endpoint, InetSocketAddress server, int serviceId, CallOptions options, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.server = Objects.requireNonNull(server, "server");
        this.serviceId = serviceId;
        this.options = Objects.requireNonNull(options, "options");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        this.timeoutNanos = timeout.toNanos();
    }

    public final InetSocketAddress server() {
        return server;
    }

    public final int serviceId() {
        return serviceId;
    }

    /** One whole call: request, reply, done. */
    protected final <R> R call(int opcode, RequestWriter request, ReplyReader<R> reply) throws InterruptedException {
        try (SplitCall<R> call = start(opcode, request, reply)) {
            return call.end();
        }
    }

    /**
     * The first half of a split procedure: the opcode and arguments are written (not yet sent as complete);
     * the caller streams through the returned call and finishes with {@link SplitCall#end()}.
     */
    protected final <R> SplitCall<R> start(int opcode, RequestWriter request, ReplyReader<R> reply)
            throws InterruptedException {
        RxCall rx = endpoint.newCall(server, serviceId, options, null);
        CallIo io = CallIo.acquire(rx, timeoutNanos);
        boolean started = false;
        try {
            try {
                io.out().writeInt(opcode);
                request.write(io.out());
            } catch (XdrException | NullPointerException e) {
                throw io.abort(AbortCodes.RXGEN_CC_MARSHAL, e);
            }
            started = true;
            return new SplitCall<>(io, reply);
        } catch (CallInterrupted e) {
            throw (InterruptedException) e.getCause();
        } finally {
            if (!started) {
                io.release();
                rx.close();
            }
        }
    }

    /** Whether {@code e} is the server's answer "I do not implement this procedure" (RXGEN_OPCODE). */
    public static boolean isUnknownOpcode(RxCallAbortedException e) {
        return e.abortCode() == AbortCodes.RXGEN_OPCODE;
    }
}
