package org.rxrpc.api;

import java.util.Objects;
import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.NullSecurity;

/**
 * Options of one client call. Immutable: start from {@link #DEFAULT} or {@link #builder()}, change with
 * {@link #toBuilder()} or the {@code with...} shortcuts.
 */
public final class CallOptions {
    /** The default deadline of a client call: two minutes. */
    public static final long DEFAULT_DEADLINE_MILLIS = 120_000;

    public static final CallOptions DEFAULT = builder().build();

    private final boolean newConnection;
    private final long hardTimeoutMillis;
    private final long busyRetryMillis;
    private final ClientSecurity security;

    private CallOptions(Builder b) {
        if (b.hardTimeoutMillis < 0) {
            throw new IllegalArgumentException("hardTimeoutMillis must be at least 0, not " + b.hardTimeoutMillis);
        }
        if (b.busyRetryMillis < 0) {
            throw new IllegalArgumentException("busyRetryMillis must be at least 0, not " + b.busyRetryMillis);
        }
        newConnection = b.newConnection;
        hardTimeoutMillis = b.hardTimeoutMillis;
        busyRetryMillis = b.busyRetryMillis;
        security = Objects.requireNonNull(b.security, "security");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Use a connection of its own instead of a free channel of a shared one (false). */
    public boolean newConnection() {
        return newConnection;
    }

    /**
     * The call's deadline, counted from its start: past it the call is aborted with
     * {@link AbortCodes#RX_CALL_TIMEOUT}, wherever it is (two minutes; 0 = none, the call then ends only
     * when done, aborted, or its peer goes silent for the endpoint's dead time).
     */
    public long hardTimeoutMillis() {
        return hardTimeoutMillis;
    }

    /**
     * How long to keep retrying a call the server refuses with BUSY before it ends in
     * {@link CallState#BUSY} (30 s).
     */
    public long busyRetryMillis() {
        return busyRetryMillis;
    }

    /**
     * The security class and token the call's connection uses ({@link NullSecurity#INSTANCE}: none). Calls
     * share a connection only with calls to the same server and service under the same object, so a call
     * with another token or level gets another connection.
     *
     * @since 1.1
     */
    public ClientSecurity security() {
        return security;
    }

    /** @since 1.1 */
    public CallOptions withSecurity(ClientSecurity value) {
        return toBuilder().security(value).build();
    }

    public CallOptions withNewConnection(boolean value) {
        return toBuilder().newConnection(value).build();
    }

    public CallOptions withHardTimeoutMillis(long value) {
        return toBuilder().hardTimeoutMillis(value).build();
    }

    public CallOptions withBusyRetryMillis(long value) {
        return toBuilder().busyRetryMillis(value).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallOptions c
                && c.newConnection == newConnection
                && c.hardTimeoutMillis == hardTimeoutMillis
                && c.busyRetryMillis == busyRetryMillis
                && c.security == security;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(newConnection) * 31 * 31
                + Long.hashCode(hardTimeoutMillis) * 31
                + Long.hashCode(busyRetryMillis)
                + 31 * 31 * 31 * System.identityHashCode(security);
    }

    @Override
    public String toString() {
        return "CallOptions[newConnection=" + newConnection + ", hardTimeoutMillis=" + hardTimeoutMillis
                + ", busyRetryMillis=" + busyRetryMillis + ", security=" + security + "]";
    }

    /** Collects options; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private boolean newConnection;
        private long hardTimeoutMillis = DEFAULT_DEADLINE_MILLIS;
        private long busyRetryMillis = 30_000;
        private ClientSecurity security = NullSecurity.INSTANCE;

        private Builder() {}

        private Builder(CallOptions o) {
            newConnection = o.newConnection;
            hardTimeoutMillis = o.hardTimeoutMillis;
            busyRetryMillis = o.busyRetryMillis;
            security = o.security;
        }

        public Builder newConnection(boolean value) {
            newConnection = value;
            return this;
        }

        public Builder hardTimeoutMillis(long value) {
            hardTimeoutMillis = value;
            return this;
        }

        public Builder busyRetryMillis(long value) {
            busyRetryMillis = value;
            return this;
        }

        /** The connection's security class and token (see {@link CallOptions#security()}). @since 1.1 */
        public Builder security(ClientSecurity value) {
            security = Objects.requireNonNull(value, "security");
            return this;
        }

        /** @throws IllegalArgumentException naming a setting out of its range */
        public CallOptions build() {
            return new CallOptions(this);
        }
    }
}
