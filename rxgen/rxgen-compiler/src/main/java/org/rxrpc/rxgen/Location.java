package org.rxrpc.rxgen;

/** A place in a source file, 1-based, printed as {@code file:line:column} like C compilers do. */
public record Location(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
