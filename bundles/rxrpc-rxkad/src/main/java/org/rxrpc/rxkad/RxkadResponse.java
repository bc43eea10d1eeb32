package org.rxrpc.rxkad;

/**
 * The version-2 rxkad RESPONSE body (OpenAFS {@code struct rxkad_v2ChallengeResponse}, Linux
 * {@code struct rxkad_response}): 56 bytes, then the ticket. Bytes 8-47 are PCBC-encrypted with the
 * session key (key and IV). Also the old (pre-2) response OpenAFS clients send to an 8-byte challenge.
 */
final class RxkadResponse {
    private RxkadResponse() {}

    static final int VERSION = 2;
    static final int HEADER_LENGTH = 56;
    static final int VERSION_AT = 0;
    static final int EPOCH_AT = 8;
    static final int CID_AT = 12;
    static final int CHECKSUM_AT = 16;
    static final int SECURITY_INDEX_AT = 20;
    static final int CALL_NUMBERS_AT = 24;
    static final int NONCE_AT = 40;
    static final int LEVEL_AT = 44;
    static final int KVNO_AT = 48;
    static final int TICKET_LENGTH_AT = 52;
    static final int ENCRYPTED_AT = 8;
    static final int ENCRYPTED_LENGTH = 40;

    /** Old response: {nonce + 1, level} ECB-encrypted, kvno, ticket length, ticket. */
    static final int OLD_HEADER_LENGTH = 16;

    /**
     * The checksum over the 56 plaintext bytes with the checksum field taken as 0: c = 1000003, then for
     * each byte c = b + c * 0x10204081 (mod 2^32).
     */
    static int checksum(byte[] b, int off) {
        int c = 1000003;
        for (int i = 0; i < HEADER_LENGTH; i++) {
            int v = (i >= CHECKSUM_AT && i < CHECKSUM_AT + 4) ? 0 : b[off + i] & 0xFF;
            c = v + c * 0x10204081;
        }
        return c;
    }
}
