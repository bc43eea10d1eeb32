package org.rxrpc.transport.testutil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a DATA datagram into its packets as rx-protocol.md §3.3 lays out a jumbogram: every sub-packet
 * but the last carries exactly 1412 bytes and is followed by a 4-byte jumbo header (flags of the next
 * sub-packet, a zero byte, its 16-bit checksum); the next sub-packet's seq and serial are one more.
 * Written from the text, independently of the transport under test.
 */
public final class Jumbograms {
    /** Data bytes of every sub-packet but the last. */
    public static final int SUB_PACKET_DATA = 1412;
    /** The header between sub-packets. */
    public static final int JUMBO_HEADER = 4;

    private Jumbograms() {}

    /** The packets of a DATA datagram: itself if it is not a jumbogram. */
    public static List<RawPacket> split(RawPacket datagram) {
        List<RawPacket> out = new ArrayList<>();
        RawPacket p = datagram;
        byte[] rest = datagram.body();
        while ((p.flags() & RawPacket.FLAG_JUMBO_PACKET) != 0) {
            if (rest.length < SUB_PACKET_DATA + JUMBO_HEADER) {
                throw new IllegalArgumentException("jumbogram sub-packet " + out.size() + " is short: " + rest.length);
            }
            out.add(with(p, Arrays.copyOfRange(rest, 0, SUB_PACKET_DATA)));
            int flags = rest[SUB_PACKET_DATA] & 0xff;
            int checksum = ((rest[SUB_PACKET_DATA + 2] & 0xff) << 8) | (rest[SUB_PACKET_DATA + 3] & 0xff);
            rest = Arrays.copyOfRange(rest, SUB_PACKET_DATA + JUMBO_HEADER, rest.length);
            p = new RawPacket(
                    p.epoch(),
                    p.cid(),
                    p.callNumber(),
                    p.seq() + 1,
                    p.serial() + 1,
                    p.type(),
                    flags,
                    0,
                    p.securityIndex(),
                    checksum,
                    p.serviceId(),
                    null);
        }
        out.add(with(p, rest));
        return out;
    }

    private static RawPacket with(RawPacket p, byte[] body) {
        return new RawPacket(
                p.epoch(),
                p.cid(),
                p.callNumber(),
                p.seq(),
                p.serial(),
                p.type(),
                p.flags(),
                p.userStatus(),
                p.securityIndex(),
                p.checksum(),
                p.serviceId(),
                body);
    }
}
