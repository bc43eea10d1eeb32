package org.rxrpc.transport.testutil;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A test's own, independent view of one Rx datagram: the 28-byte big-endian header of
 * rx-protocol.md §1 plus the raw body, with readers for the ACK (§4) and ABORT (§5.1) bodies.
 * Deliberately shares no code with the transport under test, so a wire-format bug there cannot hide
 * behind the same bug here.
 *
 * <p>32-bit fields are Java {@code int}s holding the unsigned wire value (compare with hex literals or
 * {@link Integer#toUnsignedLong}); 8- and 16-bit fields are non-negative ints.
 */
public record RawPacket(
        int epoch,
        int cid,
        int callNumber,
        int seq,
        int serial,
        int type,
        int flags,
        int userStatus,
        int securityIndex,
        int checksum,
        int serviceId,
        byte[] body) {

    public static final int HEADER_SIZE = 28;

    // Packet types (§2).
    public static final int TYPE_DATA = 1;
    public static final int TYPE_ACK = 2;
    public static final int TYPE_BUSY = 3;
    public static final int TYPE_ABORT = 4;
    public static final int TYPE_ACKALL = 5;
    public static final int TYPE_CHALLENGE = 6;
    public static final int TYPE_RESPONSE = 7;
    public static final int TYPE_DEBUG = 8;
    public static final int TYPE_VERSION = 13;

    // Header flags (§2); 0x20 means JUMBO_PACKET on DATA and SLOW_START_OK on ACK.
    public static final int FLAG_CLIENT_INITIATED = 0x01;
    public static final int FLAG_REQUEST_ACK = 0x02;
    public static final int FLAG_LAST_PACKET = 0x04;
    public static final int FLAG_MORE_PACKETS = 0x08;
    public static final int FLAG_JUMBO_PACKET = 0x20;
    public static final int FLAG_SLOW_START_OK = 0x20;

    // ACK reasons (§4.1).
    public static final int ACK_REQUESTED = 1;
    public static final int ACK_DUPLICATE = 2;
    public static final int ACK_OUT_OF_SEQUENCE = 3;
    public static final int ACK_EXCEEDS_WINDOW = 4;
    public static final int ACK_NOSPACE = 5;
    public static final int ACK_PING = 6;
    public static final int ACK_PING_RESPONSE = 7;
    public static final int ACK_DELAY = 8;
    public static final int ACK_IDLE = 9;

    /** Bytes of an ACK body before the acks array: bufferSpace .. nAcks (§4). */
    public static final int ACK_FIXED_SIZE = 18;
    /** Zero bytes between the acks array and the trailer words. */
    public static final int ACK_PAD_SIZE = 3;

    public RawPacket {
        checkRange("type", type, 0xff);
        checkRange("flags", flags, 0xff);
        checkRange("userStatus", userStatus, 0xff);
        checkRange("securityIndex", securityIndex, 0xff);
        checkRange("checksum", checksum, 0xffff);
        checkRange("serviceId", serviceId, 0xffff);
        body = body == null ? new byte[0] : body;
    }

    /** Parses a datagram; throws IllegalArgumentException if it is shorter than the header. */
    public static RawPacket parse(byte[] datagram) {
        if (datagram.length < HEADER_SIZE) {
            throw new IllegalArgumentException("an Rx datagram needs 28 header bytes, got " + datagram.length);
        }
        ByteBuffer b = ByteBuffer.wrap(datagram); // big-endian, as on the wire
        return new RawPacket(
                b.getInt(0),
                b.getInt(4),
                b.getInt(8),
                b.getInt(12),
                b.getInt(16),
                b.get(20) & 0xff,
                b.get(21) & 0xff,
                b.get(22) & 0xff,
                b.get(23) & 0xff,
                b.getShort(24) & 0xffff,
                b.getShort(26) & 0xffff,
                Arrays.copyOfRange(datagram, HEADER_SIZE, datagram.length));
    }

    /** The datagram bytes: header then body. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(HEADER_SIZE + body.length)
                .putInt(epoch)
                .putInt(cid)
                .putInt(callNumber)
                .putInt(seq)
                .putInt(serial)
                .put((byte) type)
                .put((byte) flags)
                .put((byte) userStatus)
                .put((byte) securityIndex)
                .putShort((short) checksum)
                .putShort((short) serviceId)
                .put(body)
                .array();
    }

    /** Channel number: the low 2 bits of the cid. */
    public int channel() {
        return cid & 3;
    }

    /** The cid with the channel bits cleared, i.e. what identifies the connection. */
    public int connectionId() {
        return cid & ~3;
    }

    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    public boolean isClientInitiated() {
        return hasFlags(FLAG_CLIENT_INITIATED);
    }

    /** The ABORT code (§5.1): the first 4 body bytes as a signed int. */
    public int abortCode() {
        requireType(TYPE_ABORT);
        if (body.length < 4) {
            throw new IllegalStateException("ABORT body has " + body.length + " bytes, needs 4");
        }
        return ByteBuffer.wrap(body).getInt(0);
    }

    /** The ACK body (§4). */
    public Ack ack() {
        requireType(TYPE_ACK);
        return Ack.parse(body);
    }

    @Override
    public String toString() {
        return String.format(
                "RawPacket[type=%d flags=0x%02x epoch=0x%08x cid=0x%08x call=%d seq=%d serial=%d"
                        + " userStatus=%d securityIndex=%d checksum=0x%04x serviceId=%d body=%s]",
                type,
                flags,
                epoch,
                cid,
                Integer.toUnsignedLong(callNumber),
                Integer.toUnsignedLong(seq),
                Integer.toUnsignedLong(serial),
                userStatus,
                securityIndex,
                checksum,
                serviceId,
                HexFormat.of().formatHex(body));
    }

    private void requireType(int expected) {
        if (type != expected) {
            throw new IllegalStateException("packet type is " + type + ", not " + expected);
        }
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be in 0.." + max + ", got " + value);
        }
    }

    /**
     * An ACK body. {@code acks} holds one byte per seq from firstPacket (1 = ACK, 0 = NACK);
     * {@code trailer} holds the trailer words present (normally 4, none in a bare AFS 3.3 ACK), named
     * as in rx-protocol.md §4: maxMTU, ifMTU, rwind, jumbo_max.
     */
    public record Ack(
            int bufferSpace,
            int maxSkew,
            int firstPacket,
            int previousPacket,
            int serial,
            int reason,
            int nAcks,
            byte[] acks,
            int[] trailer) {

        public static Ack parse(byte[] body) {
            if (body.length < ACK_FIXED_SIZE) {
                throw new IllegalArgumentException("ACK body needs 18 bytes, got " + body.length);
            }
            ByteBuffer b = ByteBuffer.wrap(body);
            int nAcks = b.get(17) & 0xff;
            if (body.length < ACK_FIXED_SIZE + nAcks) {
                throw new IllegalArgumentException("ACK body claims " + nAcks + " acks but has "
                        + (body.length - ACK_FIXED_SIZE) + " bytes after the fixed part");
            }
            byte[] acks = Arrays.copyOfRange(body, ACK_FIXED_SIZE, ACK_FIXED_SIZE + nAcks);
            // The trailer is optional on input; read as many whole words as follow the pad.
            int trailerStart = ACK_FIXED_SIZE + nAcks + ACK_PAD_SIZE;
            int words = Math.max(0, Math.min(4, (body.length - trailerStart) / 4));
            int[] trailer = new int[words];
            for (int i = 0; i < words; i++) {
                trailer[i] = b.getInt(trailerStart + 4 * i);
            }
            return new Ack(
                    b.getShort(0) & 0xffff,
                    b.getShort(2) & 0xffff,
                    b.getInt(4),
                    b.getInt(8),
                    b.getInt(12),
                    b.get(16) & 0xff,
                    nAcks,
                    acks,
                    trailer);
        }

        /** True if seq {@code firstPacket + index} is soft-ACKed (only bit 0 counts, §4). */
        public boolean isAcked(int index) {
            return (acks[index] & 1) != 0;
        }

        public int trailerWord(int index) {
            if (index >= trailer.length) {
                throw new IllegalStateException("ACK has " + trailer.length + " trailer words, not " + (index + 1));
            }
            return trailer[index];
        }

        public int maxMtu() {
            return trailerWord(0);
        }

        public int ifMtu() {
            return trailerWord(1);
        }

        public int rwind() {
            return trailerWord(2);
        }

        public int jumboMax() {
            return trailerWord(3);
        }
    }
}
