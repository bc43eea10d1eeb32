package org.rxrpc.api;

/** The call ended with an abort: {@link #abortCode()} says why, {@link #state()} says by whom. */
public class RxCallAbortedException extends RxException {
    private static final long serialVersionUID = 1L;
    private final int abortCode;
    private final CallState state;

    public RxCallAbortedException(CallState state, int abortCode) {
        super("call " + describe(state) + " with code " + abortCode + " (" + AbortCodes.name(abortCode) + ")");
        this.abortCode = abortCode;
        this.state = state;
    }

    private static String describe(CallState state) {
        switch (state) {
            case REMOTELY_ABORTED:
                return "aborted by the peer";
            case BUSY:
                return "refused BUSY by the server until the retries ran out";
            default:
                return "aborted locally";
        }
    }

    public int abortCode() {
        return abortCode;
    }

    public CallState state() {
        return state;
    }
}
