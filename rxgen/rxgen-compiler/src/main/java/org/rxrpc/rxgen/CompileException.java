package org.rxrpc.rxgen;

/** An error in an interface or error-table file; its message reads {@code file:line:column: message}. */
public final class CompileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Location location;
    private final String reason;

    public CompileException(Location location, String reason) {
        super(location + ": " + reason);
        this.location = location;
        this.reason = reason;
    }

    public Location location() {
        return location;
    }

    /** The message without the location. */
    public String reason() {
        return reason;
    }
}
