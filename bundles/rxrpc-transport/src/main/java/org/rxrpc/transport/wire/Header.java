package org.rxrpc.transport.wire;

import java.nio.ByteBuffer;

/**
 * The 28-byte Rx header, decoded into reusable fields (one instance per I/O thread, so decoding
 * allocates nothing). All fields are big-endian on the wire.
 */
public final class Header {
    public int epoch;
    public int cid;
    public int callNumber;
    public int seq;
    public int serial;
    public int type;
    public int flags;
    public int userStatus;
    public int securityIndex;
    public int checksum;
    public int serviceId;

    /** Reads the header at {@code offset}; the caller checks that 28 bytes are there. */
    public void decode(ByteBuffer b, int offset) {
        epoch = b.getInt(offset);
        cid = b.getInt(offset + 4);
        callNumber = b.getInt(offset + 8);
        seq = b.getInt(offset + 12);
        serial = b.getInt(offset + 16);
        type = b.get(offset + 20) & 0xff;
        flags = b.get(offset + 21) & 0xff;
        userStatus = b.get(offset + 22) & 0xff;
        securityIndex = b.get(offset + 23) & 0xff;
        checksum = b.getShort(offset + 24) & 0xffff;
        serviceId = b.getShort(offset + 26) & 0xffff;
    }

    /** Writes the header at {@code offset}. */
    public void encode(ByteBuffer b, int offset) {
        put(
                b,
                offset,
                epoch,
                cid,
                callNumber,
                seq,
                serial,
                type,
                flags,
                userStatus,
                securityIndex,
                checksum,
                serviceId);
    }

    public static void put(
            ByteBuffer b,
            int offset,
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
            int serviceId) {
        b.putInt(offset, epoch);
        b.putInt(offset + 4, cid);
        b.putInt(offset + 8, callNumber);
        b.putInt(offset + 12, seq);
        b.putInt(offset + 16, serial);
        b.put(offset + 20, (byte) type);
        b.put(offset + 21, (byte) flags);
        b.put(offset + 22, (byte) userStatus);
        b.put(offset + 23, (byte) securityIndex);
        b.putShort(offset + 24, (short) checksum);
        b.putShort(offset + 26, (short) serviceId);
    }

    public boolean isClientInitiated() {
        return (flags & Wire.FLAG_CLIENT_INITIATED) != 0;
    }

    public int channel() {
        return cid & Wire.CHANNEL_MASK;
    }

    @Override
    public String toString() {
        return String.format(
                "type=%d flags=0x%02x epoch=0x%08x cid=0x%08x call=%d seq=%d serial=%d sec=%d cksum=%d service=%d",
                type, flags, epoch, cid, callNumber, seq, serial, securityIndex, checksum, serviceId);
    }
}
