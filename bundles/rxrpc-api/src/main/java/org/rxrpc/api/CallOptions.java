package org.rxrpc.api;

/**
 * Options for one client call. Immutable; start from {@link #DEFAULT}.
 *
 * @param newConnection use a connection of its own instead of a free channel of a shared one
 * @param hardTimeoutMillis abort the call with {@link AbortCodes#RX_CALL_TIMEOUT} after this long; 0 = none
 * @param busyRetryMillis how long to keep retrying a call the server refuses with BUSY before it ends
 *     in {@link CallState#BUSY}
 */
public record CallOptions(boolean newConnection, long hardTimeoutMillis, long busyRetryMillis) {
    public static final CallOptions DEFAULT = new CallOptions(false, 0, 30_000);

    public CallOptions {
        if (hardTimeoutMillis < 0 || busyRetryMillis < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    public CallOptions withNewConnection(boolean value) {
        return new CallOptions(value, hardTimeoutMillis, busyRetryMillis);
    }

    public CallOptions withHardTimeoutMillis(long value) {
        return new CallOptions(newConnection, value, busyRetryMillis);
    }

    public CallOptions withBusyRetryMillis(long value) {
        return new CallOptions(newConnection, hardTimeoutMillis, value);
    }
}
