package org.rxrpc.xdr;

/** Writes a procedure's IN and INOUT arguments (generated code). */
@FunctionalInterface
public interface RequestWriter {
    void write(XdrEncoder out);
}
