package org.rxrpc.security;

import java.nio.ByteBuffer;

/**
 * Security index 0: no handshake, no security header, header checksum 0 (OpenAFS rx_null, Linux
 * "insecure"). One stateless instance serves as class and as every connection's state, both sides.
 */
public final class NullSecurity
        implements ServerSecurity, ClientSecurity, ServerConnectionSecurity, ClientConnectionSecurity {
    /** The one instance. */
    public static final NullSecurity INSTANCE = new NullSecurity();

    private NullSecurity() {}

    @Override
    public int index() {
        return NULL_INDEX;
    }

    @Override
    public String name() {
        return "null";
    }

    @Override
    public int minimumLevel() {
        return SecurityLevels.CLEAR;
    }

    @Override
    public boolean requiresChallenge() {
        return false;
    }

    @Override
    public ServerConnectionSecurity newConnectionState() {
        return this;
    }

    @Override
    public boolean answersChallenges() {
        return false;
    }

    @Override
    public ClientConnectionSecurity newConnection(int epoch, int cid) {
        return this;
    }

    @Override
    public int level() {
        return SecurityLevels.CLEAR;
    }

    @Override
    public int securityHeaderSize() {
        return 0;
    }

    @Override
    public int maxDataPerPacket(int bodyCapacity) {
        return bodyCapacity;
    }

    @Override
    public int securedLength(int dataLength) {
        return dataLength;
    }

    @Override
    public int headerChecksum(int epoch, int cid, int callNumber, int seq) {
        return 0;
    }

    @Override
    public int secure(
            byte[] body, int offset, int dataLength, int epoch, int cid, int callNumber, int seq, int serial) {
        return dataLength;
    }

    /** Accepts every packet as it is; the checksum is ignored, as OpenAFS and Linux ignore it for index 0. */
    @Override
    public int verify(
            byte[] body,
            int offset,
            int length,
            int epoch,
            int cid,
            int callNumber,
            int seq,
            int serial,
            int checksum) {
        return length;
    }

    @Override
    public void open(int epoch, int cid) {}

    @Override
    public boolean isAuthenticated() {
        return true;
    }

    @Override
    public int challengeLength() {
        return 0;
    }

    @Override
    public int writeChallenge(ByteBuffer out) {
        return 0;
    }

    /** The null class has no handshake: a RESPONSE for it is inconsistent. */
    @Override
    public boolean verifyResponse(ByteBuffer body) throws SecurityFailure {
        throw NO_HANDSHAKE;
    }

    @Override
    public int responseCallNumber(int channel) {
        return 0;
    }

    @Override
    public long expiresAtSeconds() {
        return Long.MAX_VALUE;
    }

    @Override
    public SecurityIdentity identity() {
        return null;
    }

    @Override
    public int maxResponseLength() {
        return 0;
    }

    /** The null class has no handshake: a CHALLENGE for it is inconsistent. */
    @Override
    public int writeResponse(ByteBuffer challenge, ByteBuffer out, int call0, int call1, int call2, int call3)
            throws SecurityFailure {
        throw NO_HANDSHAKE;
    }

    private static final SecurityFailure NO_HANDSHAKE =
            new SecurityFailure(SecurityAbortCodes.RXKADINCONSISTENCY, "the null security class has no handshake");

    @Override
    public String toString() {
        return "NullSecurity";
    }
}
