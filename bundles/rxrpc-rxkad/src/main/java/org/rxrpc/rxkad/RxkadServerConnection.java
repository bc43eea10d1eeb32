package org.rxrpc.rxkad;

import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADINCONSISTENCY;
import static org.rxrpc.security.SecurityAbortCodes.RXKADLEVELFAIL;
import static org.rxrpc.security.SecurityAbortCodes.RXKADNOAUTH;
import static org.rxrpc.security.SecurityAbortCodes.RXKADOUTOFSEQUENCE;
import static org.rxrpc.security.SecurityAbortCodes.RXKADPACKETSHORT;
import static org.rxrpc.security.SecurityAbortCodes.RXKADSEALEDINCON;
import static org.rxrpc.security.SecurityAbortCodes.RXKADTICKETLEN;
import static org.rxrpc.security.SecurityAbortCodes.RXKADUNKNOWNKEY;

import java.nio.ByteBuffer;
import org.rxrpc.security.SecurityClass;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServerConnectionSecurity;

/**
 * The server side of one rxkad connection (OpenAFS rxkad_server.c, Linux rxkad.c): issues the version-2
 * challenge, verifies the response (ticket, sealed checksum, connection identity, nonce, level), then
 * checks and unseals packets until the ticket expires. I/O thread only; allocation-free except inside the
 * JDK ciphers of the ticket (once per connection).
 */
final class RxkadServerConnection extends RxkadConnection implements ServerConnectionSecurity {
    static final int KRB5_TICKET_KVNO = 256;
    static final int KRB5_ENC_PART_KVNO = 213;

    private static final SecurityFailure NOT_AUTHENTICATED =
            new SecurityFailure(RXKADEXPIRED, "connection not authenticated");
    private static final SecurityFailure EXPIRED = new SecurityFailure(RXKADEXPIRED, "client's ticket expired");
    private static final SecurityFailure NO_CHALLENGE =
            new SecurityFailure(RXKADOUTOFSEQUENCE, "response without a challenge");
    private static final SecurityFailure SHORT = new SecurityFailure(RXKADPACKETSHORT, "response too short");
    private static final SecurityFailure VERSION = new SecurityFailure(RXKADINCONSISTENCY, "response version is not 2");
    private static final SecurityFailure TICKET_LENGTH =
            new SecurityFailure(RXKADTICKETLEN, "ticket length outside 32..12000");
    private static final SecurityFailure UNKNOWN_KEY =
            new SecurityFailure(RXKADUNKNOWNKEY, "no server key for the ticket's kvno");
    private static final SecurityFailure FOREIGN_CELL =
            new SecurityFailure(RXKADNOAUTH, "ticket of a cell this service does not accept");
    private static final SecurityFailure BAD_CHECKSUM =
            new SecurityFailure(RXKADSEALEDINCON, "response checksum does not match");
    private static final SecurityFailure OTHER_CONNECTION =
            new SecurityFailure(RXKADSEALEDINCON, "response sealed for another connection");
    private static final SecurityFailure BAD_CALL_NUMBER =
            new SecurityFailure(RXKADSEALEDINCON, "response call number negative");
    private static final SecurityFailure WRONG_NONCE =
            new SecurityFailure(RXKADOUTOFSEQUENCE, "response answers another challenge");
    private static final SecurityFailure LEVEL =
            new SecurityFailure(RXKADLEVELFAIL, "response level below the service's minimum or above crypt");

    private final RxkadServerSecurity owner;
    /** Nonces: successive blocks of a per-state random key, so that re-opening needs no random source. */
    private final Fcrypt nonces;

    private long nonceCounter;
    private final TicketContents ticket = new TicketContents();
    private final int[] callNumbers = new int[4];
    private int epoch;
    private int cid;
    private int nonce;
    private boolean challenged;
    private boolean authenticated;
    private long expiresAt;
    private int kvno;

    RxkadServerConnection(RxkadServerSecurity owner, long nonceKey, int firstCounter) {
        this.owner = owner;
        this.nonces = new Fcrypt(nonceKey);
        this.nonceCounter = firstCounter & 0xFFFFFFFFL;
    }

    @Override
    public void open(int epoch, int cid) {
        this.epoch = epoch;
        this.cid = cid & ~3;
        this.nonce = (int) nonces.encrypt(nonceCounter++);
        challenged = false;
        authenticated = false;
        level = SecurityLevels.CLEAR;
        expiresAt = 0;
        kvno = 0;
        ticket.clear();
        java.util.Arrays.fill(callNumbers, 0);
    }

    @Override
    void checkUsable() throws SecurityFailure {
        if (!authenticated) throw NOT_AUTHENTICATED;
        if (expiresAt != Long.MAX_VALUE && owner.now() >= expiresAt) throw EXPIRED;
    }

    @Override
    public boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public int challengeLength() {
        return 16;
    }

    /** {version 2, nonce, level 0, 0}: the minimum is enforced on the response (see RxkadServerSecurity). */
    @Override
    public int writeChallenge(ByteBuffer out) {
        out.putInt(RxkadResponse.VERSION)
                .putInt(nonce)
                .putInt(SecurityLevels.CLEAR)
                .putInt(0);
        challenged = true;
        return 16;
    }

    @Override
    public boolean verifyResponse(ByteBuffer body) throws SecurityFailure {
        if (authenticated) return false;
        if (!challenged) throw NO_CHALLENGE;
        int p = body.position();
        int length = body.remaining();
        if (length < RxkadResponse.HEADER_LENGTH) throw SHORT;
        if (body.getInt(p + RxkadResponse.VERSION_AT) != RxkadResponse.VERSION) throw VERSION;
        int responseKvno = body.getInt(p + RxkadResponse.KVNO_AT);
        int ticketLength = body.getInt(p + RxkadResponse.TICKET_LENGTH_AT);
        if (ticketLength < DesTicket.MIN_LENGTH || ticketLength > DesTicket.MAX_LENGTH) throw TICKET_LENGTH;
        if (length < RxkadResponse.HEADER_LENGTH + ticketLength) throw SHORT;

        RxkadServerSecurity.ResponseScratch s = RxkadServerSecurity.scratch();
        body.get(p, s.head, 0, RxkadResponse.HEADER_LENGTH);
        body.get(p + RxkadResponse.HEADER_LENGTH, s.ticket, 0, ticketLength);

        ServerKeyRing keys = owner.currentKeys();
        if (responseKvno == KRB5_TICKET_KVNO || responseKvno == KRB5_ENC_PART_KVNO) {
            Krb5Ticket.decode(
                    s.ticket,
                    0,
                    ticketLength,
                    responseKvno == KRB5_TICKET_KVNO,
                    keys,
                    owner.now(),
                    owner.rejectDottedNames(),
                    ticket);
        } else {
            ServerKey key = keys.des(responseKvno);
            if (key == null) throw UNKNOWN_KEY;
            DesTicket.decode(s.ticket, 0, ticketLength, key.desKey(), s.plain, ticket);
        }
        TicketTimes.check(ticket.start, ticket.end, owner.now());
        if (!owner.acceptsCell(ticket)) throw FOREIGN_CELL;

        // The sealed part, with the session key the ticket carries.
        key(ticket.sessionKey, epoch, cid);
        fcrypt.decryptPcbc(s.head, RxkadResponse.ENCRYPTED_AT, RxkadResponse.ENCRYPTED_LENGTH, sessionKey);
        byte[] h = s.head;
        if ((int) INT_BE.get(h, RxkadResponse.CHECKSUM_AT) != RxkadResponse.checksum(h, 0)) throw BAD_CHECKSUM;
        if ((int) INT_BE.get(h, RxkadResponse.EPOCH_AT) != epoch
                || (int) INT_BE.get(h, RxkadResponse.CID_AT) != cid
                || (int) INT_BE.get(h, RxkadResponse.SECURITY_INDEX_AT) != SecurityClass.RXKAD_INDEX) {
            throw OTHER_CONNECTION;
        }
        for (int i = 0; i < 4; i++) {
            if ((int) INT_BE.get(h, RxkadResponse.CALL_NUMBERS_AT + 4 * i) < 0) throw BAD_CALL_NUMBER;
        }
        if ((int) INT_BE.get(h, RxkadResponse.NONCE_AT) != nonce + 1) throw WRONG_NONCE;
        int responseLevel = (int) INT_BE.get(h, RxkadResponse.LEVEL_AT);
        if (responseLevel < owner.minimumLevel() || responseLevel > SecurityLevels.CRYPT) throw LEVEL;

        for (int i = 0; i < 4; i++) callNumbers[i] = (int) INT_BE.get(h, RxkadResponse.CALL_NUMBERS_AT + 4 * i);
        level = responseLevel;
        kvno = responseKvno;
        expiresAt = ticket.end == TicketLifetime.NEVERDATE ? Long.MAX_VALUE : ticket.end;
        authenticated = true;
        return true;
    }

    @Override
    public int responseCallNumber(int channel) {
        return callNumbers[channel & 3];
    }

    @Override
    public long expiresAtSeconds() {
        return expiresAt;
    }

    @Override
    public SecurityIdentity identity() {
        if (!authenticated) return null;
        return new SecurityIdentity(ticket.name(), ticket.instance(), ticket.cell(), kvno, level, expiresAt);
    }

    @Override
    public String toString() {
        return "RxkadServerConnection[cid " + Integer.toUnsignedString(cid) + ", "
                + (authenticated ? SecurityLevels.name(level) : "not authenticated") + "]";
    }
}
