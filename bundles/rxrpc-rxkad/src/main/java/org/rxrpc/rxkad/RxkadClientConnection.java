package org.rxrpc.rxkad;

import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADLEVELFAIL;
import static org.rxrpc.security.SecurityAbortCodes.RXKADPACKETSHORT;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.SecurityClass;
import org.rxrpc.security.SecurityFailure;

/**
 * The client side of one rxkad connection (OpenAFS rxkad_client.c, Linux rxkad.c): keyed from the token's
 * session key when made, so packets are secured from the first DATA on; answers challenges, version 2 or
 * the old 8-byte form OpenAFS servers send to clients that never checksummed. I/O thread only; allocates
 * nothing after construction.
 */
final class RxkadClientConnection extends RxkadConnection implements ClientConnectionSecurity {
    private static final SecurityFailure SHORT = new SecurityFailure(RXKADPACKETSHORT, "challenge too short");
    private static final SecurityFailure LEVEL =
            new SecurityFailure(RXKADLEVELFAIL, "server asks for a higher level than ours");
    private static final SecurityFailure EXPIRED = new SecurityFailure(RXKADEXPIRED, "our token has expired");

    private final Token token;
    private final int epoch;
    private final int cid;
    private final LongSupplier nowSeconds;
    private final byte[] head = new byte[RxkadResponse.HEADER_LENGTH];

    RxkadClientConnection(Token token, int level, int epoch, int cid, LongSupplier nowSeconds) {
        this.token = token;
        this.level = level;
        this.epoch = epoch;
        this.cid = cid & ~3;
        this.nowSeconds = nowSeconds;
        key(token.sessionKey(), epoch, cid);
    }

    /** A client keeps sending with its token; the server judges expiry. */
    @Override
    void checkUsable() {}

    @Override
    public int maxResponseLength() {
        return RxkadResponse.HEADER_LENGTH + token.ticketLength();
    }

    @Override
    public int writeResponse(ByteBuffer challenge, ByteBuffer out, int call0, int call1, int call2, int call3)
            throws SecurityFailure {
        int p = challenge.position();
        int length = challenge.remaining();
        if (length < 8) throw SHORT;
        if (token.isExpired(nowSeconds.getAsLong())) throw EXPIRED;
        boolean v2 = length >= 16 && challenge.getInt(p) >= RxkadResponse.VERSION;
        int nonce = v2 ? challenge.getInt(p + 4) : challenge.getInt(p);
        int minLevel = v2 ? challenge.getInt(p + 8) : challenge.getInt(p + 4);
        if (level < minLevel) throw LEVEL;
        byte[] ticket = token.ticketBytes();
        int start = out.position();
        if (!v2) {
            Fcrypt.putBlock(head, 0, fcrypt.encrypt(((long) (nonce + 1) << 32) | (level & 0xFFFFFFFFL)));
            out.put(head, 0, 8).putInt(token.kvno()).putInt(ticket.length).put(ticket);
            return out.position() - start;
        }
        INT_BE.set(head, RxkadResponse.VERSION_AT, RxkadResponse.VERSION);
        INT_BE.set(head, 4, 0);
        INT_BE.set(head, RxkadResponse.EPOCH_AT, epoch);
        INT_BE.set(head, RxkadResponse.CID_AT, cid);
        INT_BE.set(head, RxkadResponse.CHECKSUM_AT, 0);
        INT_BE.set(head, RxkadResponse.SECURITY_INDEX_AT, SecurityClass.RXKAD_INDEX);
        INT_BE.set(head, RxkadResponse.CALL_NUMBERS_AT, call0);
        INT_BE.set(head, RxkadResponse.CALL_NUMBERS_AT + 4, call1);
        INT_BE.set(head, RxkadResponse.CALL_NUMBERS_AT + 8, call2);
        INT_BE.set(head, RxkadResponse.CALL_NUMBERS_AT + 12, call3);
        INT_BE.set(head, RxkadResponse.NONCE_AT, nonce + 1);
        INT_BE.set(head, RxkadResponse.LEVEL_AT, level);
        INT_BE.set(head, RxkadResponse.KVNO_AT, token.kvno());
        INT_BE.set(head, RxkadResponse.TICKET_LENGTH_AT, ticket.length);
        INT_BE.set(head, RxkadResponse.CHECKSUM_AT, RxkadResponse.checksum(head, 0));
        fcrypt.encryptPcbc(head, RxkadResponse.ENCRYPTED_AT, RxkadResponse.ENCRYPTED_LENGTH, sessionKey);
        out.put(head).put(ticket);
        return out.position() - start;
    }

    @Override
    public String toString() {
        return "RxkadClientConnection[cid " + Integer.toUnsignedString(cid) + ", level " + level + "]";
    }
}
