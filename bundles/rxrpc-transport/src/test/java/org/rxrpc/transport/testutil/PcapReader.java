package org.rxrpc.transport.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the UDP datagrams out of a classic libpcap file (not pcapng), so tests can replay or compare
 * against captures of real Rx peers.
 *
 * <p>Handles both byte orders, microsecond and nanosecond timestamps, and the link types a capture on
 * Linux or BSD loopback produces: Ethernet (1), Linux cooked SLL (113) and SLL2 (276), BSD NULL (0) and
 * LOOP (108), raw IP (101, 228, 229). IPv4 and IPv6 (with the common extension headers) are decoded.
 * Frames that are not UDP, IP fragments, and datagrams cut short by the snap length are skipped: their
 * payload would be incomplete, and a test comparing bytes should not see half a packet.
 */
public final class PcapReader {

    /** One UDP datagram from the capture; {@code timeSeconds} is the capture timestamp (Unix epoch). */
    public record UdpDatagram(
            double timeSeconds, InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
        @Override
        public String toString() {
            return String.format(
                    "UdpDatagram[t=%.6f %s > %s len=%d]", timeSeconds, source, destination, payload.length);
        }
    }

    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int IPPROTO_UDP = 17;

    private PcapReader() {}

    /** All UDP datagrams in the pcap file at {@code file}, in capture order. */
    public static List<UdpDatagram> readUdp(Path file) throws IOException {
        return readUdp(Files.readAllBytes(file));
    }

    /** All UDP datagrams in a pcap file held in memory, in capture order. */
    public static List<UdpDatagram> readUdp(byte[] file) throws IOException {
        if (file.length < GLOBAL_HEADER) {
            throw new IOException("not a pcap file: only " + file.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            // The writer's byte order is whichever order makes the magic read correctly.
            buf.order(ByteOrder.BIG_ENDIAN);
            magic = buf.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(String.format(
                    "not a classic pcap file (magic 0x%08x; pcapng is not supported)",
                    buf.order(ByteOrder.BIG_ENDIAN).getInt(0)));
        }
        double fractionUnit = magic == MAGIC_NANOS ? 1e-9 : 1e-6;
        // The upper bits of the link-type word may carry FCS information; the type is the low 16 bits.
        int linkType = buf.getInt(20) & 0xffff;

        List<UdpDatagram> out = new ArrayList<>();
        int off = GLOBAL_HEADER;
        while (off + RECORD_HEADER <= file.length) {
            long seconds = Integer.toUnsignedLong(buf.getInt(off));
            long fraction = Integer.toUnsignedLong(buf.getInt(off + 4));
            long captured = Integer.toUnsignedLong(buf.getInt(off + 8));
            off += RECORD_HEADER;
            if (captured > file.length - off) {
                break; // the file was cut off inside this record (e.g. tcpdump killed mid-write)
            }
            ByteBuffer frame = ByteBuffer.wrap(file, off, (int) captured).slice();
            off += (int) captured;
            UdpDatagram d = decodeFrame(linkType, frame, seconds + fraction * fractionUnit);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private static UdpDatagram decodeFrame(int linkType, ByteBuffer frame, double time) {
        ByteBuffer ip =
                switch (linkType) {
                    case LINKTYPE_ETHERNET -> ethernetPayload(frame);
                    case LINKTYPE_LINUX_SLL -> etherTypePayload(frame, 14, 16);
                    case LINKTYPE_LINUX_SLL2 -> etherTypePayload(frame, 0, 20);
                    // NULL/LOOP: a 4-byte address family, in the capturing host's byte order for NULL and with
                    // values that differ between BSDs; the IP version nibble is a simpler and safer test.
                    case LINKTYPE_NULL, LINKTYPE_LOOP -> skip(frame, 4);
                    case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6 -> frame;
                    default -> null;
                };
        if (ip == null || ip.remaining() < 1) {
            return null;
        }
        return switch ((ip.get(0) & 0xff) >> 4) {
            case 4 -> decodeIpv4(ip, time);
            case 6 -> decodeIpv6(ip, time);
            default -> null;
        };
    }

    private static ByteBuffer ethernetPayload(ByteBuffer frame) {
        int typeOffset = 12;
        // One 802.1Q tag is common enough on real NICs to be worth stepping over.
        if (frame.remaining() >= 18 && (frame.getShort(typeOffset) & 0xffff) == ETHERTYPE_VLAN) {
            typeOffset += 4;
        }
        return etherTypePayload(frame, typeOffset, typeOffset + 2);
    }

    private static ByteBuffer etherTypePayload(ByteBuffer frame, int typeOffset, int headerLength) {
        if (frame.remaining() < headerLength) {
            return null;
        }
        int etherType = frame.getShort(typeOffset) & 0xffff;
        return etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6 ? skip(frame, headerLength) : null;
    }

    private static ByteBuffer skip(ByteBuffer b, int n) {
        return b.remaining() < n ? null : b.duplicate().position(n).slice();
    }

    private static UdpDatagram decodeIpv4(ByteBuffer ip, double time) {
        if (ip.remaining() < 20) {
            return null;
        }
        int headerLength = (ip.get(0) & 0x0f) * 4;
        int totalLength = ip.getShort(2) & 0xffff;
        int fragment = ip.getShort(6) & 0xffff;
        boolean moreFragments = (fragment & 0x2000) != 0;
        int fragmentOffset = fragment & 0x1fff;
        if (ip.get(9) != IPPROTO_UDP
                || moreFragments
                || fragmentOffset != 0
                || headerLength < 20
                || totalLength < headerLength) {
            return null;
        }
        // Ethernet pads short frames to 60 bytes: the IP total length says where the packet ends.
        ByteBuffer packet = limit(ip, totalLength);
        return packet == null
                ? null
                : decodeUdp(skip(packet, headerLength), address(ip, 12, 4), address(ip, 16, 4), time);
    }

    private static UdpDatagram decodeIpv6(ByteBuffer ip, double time) {
        if (ip.remaining() < 40) {
            return null;
        }
        ByteBuffer packet = limit(ip, 40 + (ip.getShort(4) & 0xffff));
        if (packet == null) {
            return null;
        }
        int next = ip.get(6) & 0xff;
        int off = 40;
        // Walk hop-by-hop (0), routing (43) and destination-options (60) headers; a fragment header (44)
        // means an incomplete datagram, which is skipped like an IPv4 fragment.
        while (next == 0 || next == 43 || next == 60) {
            if (packet.remaining() < off + 8) {
                return null;
            }
            int length = ((packet.get(off + 1) & 0xff) + 1) * 8;
            next = packet.get(off) & 0xff;
            off += length;
        }
        if (next != IPPROTO_UDP || off > packet.remaining()) {
            return null;
        }
        return decodeUdp(skip(packet, off), address(ip, 8, 16), address(ip, 24, 16), time);
    }

    private static UdpDatagram decodeUdp(ByteBuffer udp, InetAddress src, InetAddress dst, double time) {
        if (udp == null || udp.remaining() < 8) {
            return null;
        }
        int udpLength = udp.getShort(4) & 0xffff;
        if (udpLength < 8 || udpLength > udp.remaining()) {
            return null; // truncated by the snap length, or garbage
        }
        byte[] payload = new byte[udpLength - 8];
        udp.get(8, payload);
        return new UdpDatagram(
                time,
                new InetSocketAddress(src, udp.getShort(0) & 0xffff),
                new InetSocketAddress(dst, udp.getShort(2) & 0xffff),
                payload);
    }

    private static ByteBuffer limit(ByteBuffer b, int length) {
        return b.remaining() < length ? null : b.duplicate().limit(length).slice();
    }

    private static InetAddress address(ByteBuffer ip, int offset, int length) {
        byte[] raw = new byte[length];
        ip.get(offset, raw);
        try {
            return InetAddress.getByAddress(raw); // literal bytes: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("impossible for a 4- or 16-byte address: " + Arrays.toString(raw), e);
        }
    }
}
