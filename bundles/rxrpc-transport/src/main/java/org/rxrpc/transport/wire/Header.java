package org.rxrpc.transport.wire;

import java.nio.ByteBuffer;

/**
 * A flyweight over the 28-byte Rx header in a buffer (Aeron's DataHeaderFlyweight is the model): it
 * reads and writes the fields in place, at their named offsets, big-endian. Wrap it over a datagram to
 * read one, or over an output buffer and chain the setters to write one. One instance per user and
 * thread; wrapping allocates nothing.
 */
public final class Header {
    public static final int EPOCH = 0;
    public static final int CID = 4;
    public static final int CALL_NUMBER = 8;
    public static final int SEQ = 12;
    public static final int SERIAL = 16;
    public static final int TYPE = 20;
    public static final int FLAGS = 21;
    public static final int USER_STATUS = 22;
    public static final int SECURITY_INDEX = 23;
    /** OpenAFS's "spare", Linux's "cksum": 0 unless the security class uses it. */
    public static final int CHECKSUM = 24;

    public static final int SERVICE_ID = 26;
    public static final int LENGTH = Wire.HEADER_SIZE;

    private ByteBuffer buf;
    private int offset;

    /** Reads and writes the header at {@code offset} of {@code b} from now on; the caller checked its length. */
    public Header wrap(ByteBuffer b, int offset) {
        this.buf = b;
        this.offset = offset;
        return this;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int epoch() {
        return buf.getInt(offset + EPOCH);
    }

    public int cid() {
        return buf.getInt(offset + CID);
    }

    public int callNumber() {
        return buf.getInt(offset + CALL_NUMBER);
    }

    public int seq() {
        return buf.getInt(offset + SEQ);
    }

    public int serial() {
        return buf.getInt(offset + SERIAL);
    }

    public int type() {
        return buf.get(offset + TYPE) & 0xff;
    }

    public int flags() {
        return buf.get(offset + FLAGS) & 0xff;
    }

    public int userStatus() {
        return buf.get(offset + USER_STATUS) & 0xff;
    }

    public int securityIndex() {
        return buf.get(offset + SECURITY_INDEX) & 0xff;
    }

    public int checksum() {
        return buf.getShort(offset + CHECKSUM) & 0xffff;
    }

    public int serviceId() {
        return buf.getShort(offset + SERVICE_ID) & 0xffff;
    }

    public Header epoch(int v) {
        buf.putInt(offset + EPOCH, v);
        return this;
    }

    public Header cid(int v) {
        buf.putInt(offset + CID, v);
        return this;
    }

    public Header callNumber(int v) {
        buf.putInt(offset + CALL_NUMBER, v);
        return this;
    }

    public Header seq(int v) {
        buf.putInt(offset + SEQ, v);
        return this;
    }

    public Header serial(int v) {
        buf.putInt(offset + SERIAL, v);
        return this;
    }

    public Header type(int v) {
        buf.put(offset + TYPE, (byte) v);
        return this;
    }

    public Header flags(int v) {
        buf.put(offset + FLAGS, (byte) v);
        return this;
    }

    public Header userStatus(int v) {
        buf.put(offset + USER_STATUS, (byte) v);
        return this;
    }

    public Header securityIndex(int v) {
        buf.put(offset + SECURITY_INDEX, (byte) v);
        return this;
    }

    public Header checksum(int v) {
        buf.putShort(offset + CHECKSUM, (short) v);
        return this;
    }

    public Header serviceId(int v) {
        buf.putShort(offset + SERVICE_ID, (short) v);
        return this;
    }

    /** Copies the 28 bytes of another header (to answer a packet with its own identity). */
    public Header copyFrom(Header other) {
        for (int i = 0; i < LENGTH; i += 4) buf.putInt(offset + i, other.buf.getInt(other.offset + i));
        return this;
    }

    public boolean isClientInitiated() {
        return (flags() & Wire.FLAG_CLIENT_INITIATED) != 0;
    }

    public int channel() {
        return cid() & Wire.CHANNEL_MASK;
    }

    @Override
    public String toString() {
        return String.format(
                "type=%d flags=0x%02x epoch=0x%08x cid=0x%08x call=%d seq=%d serial=%d sec=%d cksum=%d service=%d",
                type(),
                flags(),
                epoch(),
                cid(),
                callNumber(),
                seq(),
                serial(),
                securityIndex(),
                checksum(),
                serviceId());
    }
}
