package org.rxrpc.xdr;

/** Reads a procedure's OUT and INOUT values (generated code). */
@FunctionalInterface
public interface ReplyReader<R> {
    R read(XdrDecoder in);
}
