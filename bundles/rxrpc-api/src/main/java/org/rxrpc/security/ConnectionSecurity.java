package org.rxrpc.security;

/**
 * The per-packet side of one connection's security, the same for both ends. Called on the I/O thread only;
 * allocates nothing.
 *
 * <p>A DATA packet's body (its bytes after the 28-byte Rx header, or a jumbogram sub-packet's 1412) is
 * laid out as {@code [security header][user data][padding]}. To send, the transport puts the user data at
 * {@code offset + securityHeaderSize()} and calls {@link #secure}, which fills the header and padding and
 * returns the body length to send; the buffer must hold {@link #securedLength}{@code (dataLength)} bytes
 * from {@code offset}. On receipt {@link #verify} undoes it in place and returns the user data length; the
 * data then start at {@code offset + securityHeaderSize()}. Header fields are passed as the wire's
 * 32-bit values; the checksum travels in header bytes 24-25 (OpenAFS "spare", Linux "cksum").
 */
public interface ConnectionSecurity {
    /** The level in force ({@link SecurityLevels}); on a server, the one the client's response chose. */
    int level();

    /** Bytes of security header at the start of each DATA body: rxkad 0 (clear), 4 (auth), 8 (crypt). */
    int securityHeaderSize();

    /**
     * The most user bytes a DATA body of {@code bodyCapacity} bytes carries once secured (header and padding
     * included): the payload per packet the transport must plan with, jumbogram sub-packets included.
     */
    int maxDataPerPacket(int bodyCapacity);

    /** The body length {@link #secure} produces for {@code dataLength} user bytes (header and padding). */
    int securedLength(int dataLength);

    /**
     * The header checksum of a DATA packet (or jumbogram sub-packet) for bytes 24-25, 0..0xFFFF; 0 means
     * none (the null class).
     */
    int headerChecksum(int epoch, int cid, int callNumber, int seq);

    /**
     * Secures a DATA body in place: {@code body[offset + securityHeaderSize() ..]} holds {@code dataLength}
     * user bytes; writes the security header and padding and encrypts as the level requires.
     *
     * @return the body length to send, {@link #securedLength}{@code (dataLength)}
     * @throws SecurityFailure if the connection may no longer send (e.g. its ticket expired)
     */
    int secure(byte[] body, int offset, int dataLength, int epoch, int cid, int callNumber, int seq, int serial)
            throws SecurityFailure;

    /**
     * Verifies a received DATA body in place: checks the header checksum {@code checksum} (bytes 24-25),
     * decrypts, checks the sealed sequence and length.
     *
     * @return the user data length; the data start at {@code offset + securityHeaderSize()}
     * @throws SecurityFailure with the abort code for the call (RXKADSEALEDINCON, RXKADDATALEN,
     *     RXKADEXPIRED...)
     */
    int verify(
            byte[] body, int offset, int length, int epoch, int cid, int callNumber, int seq, int serial, int checksum)
            throws SecurityFailure;
}
