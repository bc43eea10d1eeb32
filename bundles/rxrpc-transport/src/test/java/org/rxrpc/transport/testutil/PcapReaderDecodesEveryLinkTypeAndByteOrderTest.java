package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rxrpc.transport.testutil.PcapReader.UdpDatagram;

/**
 * Rewrites capture A's datagrams into pcap files of every supported flavour and checks PcapReader gets
 * the same datagrams back. The files are built here, byte by byte, from the libpcap format description.
 */
class PcapReaderDecodesEveryLinkTypeAndByteOrderTest {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final long SECONDS = 1_764_285_596L; // an arbitrary 2025 time
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();
    private static final InetAddress V6 = address("::1");

    /** One frame in a pcap record: timestamp parts as written, and the link-layer bytes. */
    private record Frame(long seconds, long fraction, byte[] bytes) {}

    static Stream<Arguments> flavours() {
        List<Arguments> all = new ArrayList<>();
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (boolean nanos : List.of(false, true)) {
                all.add(Arguments.of("EN10MB", 1, order, nanos, link(d -> ethernet(ETHERTYPE_IPV4, d))));
                all.add(Arguments.of("LINUX_SLL", 113, order, nanos, link(d -> sll(ETHERTYPE_IPV4, d))));
                all.add(Arguments.of("LINUX_SLL2", 276, order, nanos, link(d -> sll2(ETHERTYPE_IPV4, d))));
                // DLT_NULL writes the family in the capturing host's order; LOOP in network order.
                all.add(Arguments.of("NULL", 0, order, nanos, link(d -> family(2, ByteOrder.LITTLE_ENDIAN, d))));
                all.add(Arguments.of("LOOP", 108, order, nanos, link(d -> family(2, ByteOrder.BIG_ENDIAN, d))));
                all.add(Arguments.of("RAW", 101, order, nanos, link(UnaryOperator.identity())));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {2} nanos={3}")
    @MethodSource("flavours")
    void readsTheSameDatagramsFromEveryFlavour(
            String name, int linkType, ByteOrder order, boolean nanos, UnaryOperator<byte[]> link) throws IOException {
        List<UdpDatagram> original = Captures.udp(Captures.A_SINGLE_RPC);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            long fraction = nanos ? 160_443_000L + i * 1_000L : 160_443L + i;
            frames.add(new Frame(SECONDS, fraction, link.apply(ipv4Udp(original.get(i), 0))));
        }

        List<UdpDatagram> read = PcapReader.readUdp(pcap(order, nanos, linkType, frames));

        assertSameDatagrams(original, read);
        for (int i = 0; i < read.size(); i++) {
            assertEquals(SECONDS + 0.160443 + i * 1e-6, read.get(i).timeSeconds(), 1e-7);
        }
    }

    @Test
    void readsIpv6OverEthernetSllAndRaw() throws IOException {
        UdpDatagram d = new UdpDatagram(
                0, new InetSocketAddress(V6, 40000), new InetSocketAddress(V6, 7009), new byte[] {1, 2, 3, 4, 5});
        byte[] ip = ipv6Udp(d, -1);

        assertSameDatagrams(List.of(d), read(1, ethernet(ETHERTYPE_IPV6, ip)));
        assertSameDatagrams(List.of(d), read(113, sll(ETHERTYPE_IPV6, ip)));
        assertSameDatagrams(List.of(d), read(276, sll2(ETHERTYPE_IPV6, ip)));
        assertSameDatagrams(List.of(d), read(101, ip));
        assertSameDatagrams(List.of(d), read(229, ip));
    }

    @Test
    void stepsOverIpv6DestinationOptions() throws IOException {
        UdpDatagram d = new UdpDatagram(
                0, new InetSocketAddress(V6, 40000), new InetSocketAddress(V6, 7009), new byte[] {9, 8, 7});
        assertSameDatagrams(List.of(d), read(101, ipv6Udp(d, 60)));
    }

    @Test
    void stepsOverAVlanTag() throws IOException {
        UdpDatagram d = sample(new byte[] {42});
        byte[] plain = ethernet(ETHERTYPE_IPV4, ipv4Udp(d, 0));
        byte[] tagged = ByteBuffer.allocate(plain.length + 4)
                .put(plain, 0, 12)
                .putShort((short) 0x8100)
                .putShort((short) 5)
                .put(plain, 12, plain.length - 12)
                .array();
        assertSameDatagrams(List.of(d), read(1, tagged));
    }

    @Test
    void ignoresEthernetPaddingAfterAShortDatagram() throws IOException {
        UdpDatagram d = sample(new byte[] {1});
        byte[] frame = ethernet(ETHERTYPE_IPV4, ipv4Udp(d, 0));
        byte[] padded = Arrays.copyOf(frame, 60); // minimum Ethernet frame without FCS
        assertSameDatagrams(List.of(d), read(1, padded));
    }

    @Test
    void skipsWhatIsNotACompleteUdpDatagram() throws IOException {
        UdpDatagram d = sample(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] udp = ipv4Udp(d, 0);
        byte[] tcp = udp.clone();
        tcp[9] = 6;
        byte[] firstFragment = ipv4Udp(d, 0x2000); // more-fragments set
        byte[] laterFragment = ipv4Udp(d, 0x0010);
        byte[] cutBySnapLength = Arrays.copyOf(udp, udp.length - 3);
        byte[] arp = ethernet(0x0806, new byte[28]);

        List<UdpDatagram> read = PcapReader.readUdp(pcap(
                ByteOrder.LITTLE_ENDIAN,
                false,
                1,
                List.of(
                        new Frame(1, 0, ethernet(ETHERTYPE_IPV4, tcp)),
                        new Frame(2, 0, ethernet(ETHERTYPE_IPV4, firstFragment)),
                        new Frame(3, 0, ethernet(ETHERTYPE_IPV4, laterFragment)),
                        new Frame(4, 0, ethernet(ETHERTYPE_IPV4, cutBySnapLength)),
                        new Frame(5, 0, arp),
                        new Frame(6, 0, ethernet(ETHERTYPE_IPV4, udp)))));

        assertEquals(1, read.size());
        assertEquals(6.0, read.get(0).timeSeconds());
    }

    @Test
    void stopsAtARecordCutOffByTheEndOfTheFile() throws IOException {
        UdpDatagram d = sample(new byte[] {1, 2});
        byte[] file = pcap(
                ByteOrder.LITTLE_ENDIAN,
                false,
                101,
                List.of(new Frame(1, 0, ipv4Udp(d, 0)), new Frame(2, 0, ipv4Udp(d, 0))));

        assertEquals(1, PcapReader.readUdp(Arrays.copyOf(file, file.length - 5)).size());
    }

    @Test
    void rejectsFilesThatAreNotClassicPcap() {
        byte[] pcapng = {
            0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 0x1a, 0x2b, 0x3c, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        };
        IOException e = assertThrows(IOException.class, () -> PcapReader.readUdp(pcapng));
        assertTrue(e.getMessage().contains("pcapng"), e.getMessage());
        assertThrows(IOException.class, () -> PcapReader.readUdp(new byte[10]));
    }

    // ---- building pcap files ------------------------------------------------------------------------

    private static List<UdpDatagram> read(int linkType, byte[] frame) throws IOException {
        return PcapReader.readUdp(pcap(ByteOrder.BIG_ENDIAN, false, linkType, List.of(new Frame(0, 0, frame))));
    }

    private static byte[] pcap(ByteOrder order, boolean nanos, int linkType, List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(24)
                .order(order)
                .putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(262144)
                .putInt(linkType)
                .array());
        for (Frame f : frames) {
            out.writeBytes(ByteBuffer.allocate(16)
                    .order(order)
                    .putInt((int) f.seconds())
                    .putInt((int) f.fraction())
                    .putInt(f.bytes().length)
                    .putInt(f.bytes().length)
                    .array());
            out.writeBytes(f.bytes());
        }
        return out.toByteArray();
    }

    /** Names the link-layer wrapping in a parameter list. */
    private static UnaryOperator<byte[]> link(UnaryOperator<byte[]> wrap) {
        return wrap;
    }

    private static byte[] ethernet(int etherType, byte[] payload) {
        // tcpdump -i lo on Linux: all-zero MAC addresses.
        return ByteBuffer.allocate(14 + payload.length)
                .put(new byte[12])
                .putShort((short) etherType)
                .put(payload)
                .array();
    }

    private static byte[] sll(int etherType, byte[] ip) {
        return ByteBuffer.allocate(16 + ip.length)
                .putShort((short) 0)
                .putShort((short) 772)
                .putShort((short) 6)
                .put(new byte[8])
                .putShort((short) etherType)
                .put(ip)
                .array();
    }

    private static byte[] sll2(int etherType, byte[] ip) {
        return ByteBuffer.allocate(20 + ip.length)
                .putShort((short) etherType)
                .putShort((short) 0)
                .putInt(1)
                .putShort((short) 772)
                .put((byte) 0)
                .put((byte) 6)
                .put(new byte[8])
                .put(ip)
                .array();
    }

    private static byte[] family(int family, ByteOrder order, byte[] ip) {
        return ByteBuffer.allocate(4 + ip.length)
                .order(order)
                .putInt(family)
                .put(ip)
                .array();
    }

    /** IPv4 + UDP; {@code fragmentWord} is the flags/fragment-offset field (0 = whole datagram). */
    private static byte[] ipv4Udp(UdpDatagram d, int fragmentWord) {
        byte[] udp = udp(d);
        return ByteBuffer.allocate(20 + udp.length)
                .put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + udp.length))
                .putShort((short) 0x4743)
                .putShort((short) fragmentWord)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0)
                .put(d.source().getAddress().getAddress())
                .put(d.destination().getAddress().getAddress())
                .put(udp)
                .array();
    }

    /** IPv6 + UDP, with one 8-byte extension header of type {@code extension} first if it is not -1. */
    private static byte[] ipv6Udp(UdpDatagram d, int extension) {
        byte[] udp = udp(d);
        int extLength = extension < 0 ? 0 : 8;
        ByteBuffer b = ByteBuffer.allocate(40 + extLength + udp.length)
                .putInt(0x60000000)
                .putShort((short) (extLength + udp.length))
                .put((byte) (extension < 0 ? 17 : extension))
                .put((byte) 64)
                .put(d.source().getAddress().getAddress())
                .put(d.destination().getAddress().getAddress());
        if (extension >= 0) {
            b.put((byte) 17).put((byte) 0).put(new byte[6]); // next = UDP, length 0 = 8 bytes
        }
        return b.put(udp).array();
    }

    private static byte[] udp(UdpDatagram d) {
        byte[] p = d.payload();
        return ByteBuffer.allocate(8 + p.length)
                .putShort((short) d.source().getPort())
                .putShort((short) d.destination().getPort())
                .putShort((short) (8 + p.length))
                .putShort((short) 0)
                .put(p)
                .array();
    }

    private static UdpDatagram sample(byte[] payload) {
        return new UdpDatagram(0, new InetSocketAddress(V4, 57121), new InetSocketAddress(V4, 7009), payload);
    }

    private static void assertSameDatagrams(List<UdpDatagram> expected, List<UdpDatagram> actual) {
        assertEquals(expected.size(), actual.size(), () -> "datagrams: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).source(), actual.get(i).source());
            assertEquals(expected.get(i).destination(), actual.get(i).destination());
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload());
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
