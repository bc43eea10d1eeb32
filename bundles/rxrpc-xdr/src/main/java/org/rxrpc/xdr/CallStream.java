package org.rxrpc.xdr;

/**
 * The raw byte stream of a split procedure between its two halves: after the IN arguments the caller
 * streams more request bytes, and the server streams reply bytes before the OUT values (as
 * RXAFS_FetchData and RXAFS_StoreData do). On the server, the first use of {@link #out()} ends the request.
 */
public interface CallStream {
    /** The rest of the other side's message. */
    XdrDecoder in();

    /** More of this side's message. */
    XdrEncoder out();
}
