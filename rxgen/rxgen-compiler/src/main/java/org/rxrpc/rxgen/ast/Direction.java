package org.rxrpc.rxgen.ast;

/** A procedure parameter's direction. */
public enum Direction {
    IN,
    OUT,
    INOUT;

    public boolean isIn() {
        return this != OUT;
    }

    public boolean isOut() {
        return this != IN;
    }
}
