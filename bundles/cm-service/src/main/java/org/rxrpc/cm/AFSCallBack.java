package org.rxrpc.cm;

/** A callback promise (XDR: version, expiration, type; 12 bytes). */
public record AFSCallBack(int version, int expiration, int type) {
    public static final int EXCLUSIVE = 1;
    public static final int SHARED = 2;
    public static final int DROPPED = 3;
}
