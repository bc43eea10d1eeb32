package org.rxrpc.transport.testutil;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes fuzz datagrams out of real ones: the OpenAFS captures (test resources, plus the large 1 MiB ones
 * when their folder is given) replayed with random mutations: bit flips, interesting bytes, truncation,
 * extension (up to past the largest datagram a receiver takes), header fields set to edge values or
 * swapped, header of one packet on the body of another, jumbograms spliced from captured payloads (right
 * or subtly wrong), ACK fields and trailers, ABORT codes, and the seq, serial and call number edges. Most
 * packets are first rewritten onto one of a few connection identities per source, with call numbers
 * near the current one, so that they meet the state earlier packets made (calls started, running,
 * finished) instead of always a connection never seen.
 *
 * <p>Deterministic for a seed. One thread.
 */
public final class DatagramMutator {
    /** Largest datagram a receiver takes (ReceiveBatch.SLOT_BYTES); one more is oversized. */
    public static final int MAX_DATAGRAM = 16384;

    private static final int[] EDGE_WORDS = {
        0,
        1,
        2,
        3,
        4,
        31,
        32,
        33,
        255,
        256,
        1412,
        1444,
        5692,
        16384,
        65535,
        65536,
        0x7FFFFFFF,
        0x80000000,
        0x80000001,
        0xFFFFFFFF,
        0xFFFFFFFE,
        0x40000000
    };
    private static final int[] EDGE_BYTES = {0x00, 0x01, 0x02, 0x04, 0x05, 0x07, 0x20, 0x21, 0x25, 0x7F, 0x80, 0xFF};
    /** Offsets and widths of the header fields (rx-protocol.md §1). */
    private static final int[][] FIELDS = {
        {0, 4}, {4, 4}, {8, 4}, {12, 4}, {16, 4}, {20, 1}, {21, 1}, {22, 1}, {23, 1}, {24, 2}, {26, 2}
    };

    /** A connection identity a fuzz source reuses: its epoch, cid and the call numbers of its channels. */
    public static final class Identity {
        int epoch;
        int cid;
        final int[] call = new int[4];
        int serial;

        Identity(Random r) {
            renew(r);
        }

        void renew(Random r) {
            epoch = r.nextInt() | 0x80000000;
            cid = r.nextInt() & ~3;
            Arrays.fill(call, 1);
            serial = 1;
        }
    }

    private final Random r;
    private final List<byte[]> clientSeeds = new ArrayList<>();
    private final List<byte[]> serverSeeds = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();

    /**
     * @param capturesDir the folder of the large OpenAFS captures (F_send_1MiB.pcap, G_recv_1MiB.pcap),
     *     or null: their jumbograms are then only synthesised
     */
    public DatagramMutator(long seed, Path capturesDir) {
        this.r = new Random(seed);
        for (String name : List.of(
                Captures.A_SINGLE_RPC,
                Captures.B_THREE_RPCS,
                Captures.C_NEWCONN_TWO,
                Captures.D_CMDEBUG,
                Captures.E_RXDEBUG,
                Captures.H_IDLE_CONN_70S)) {
            for (PcapReader.UdpDatagram d : Captures.udp(name)) add(d.payload());
        }
        if (capturesDir != null) {
            for (String name : List.of("F_send_1MiB.pcap", "G_recv_1MiB.pcap")) {
                Path p = capturesDir.resolve(name);
                if (!Files.isRegularFile(p)) continue;
                try {
                    List<PcapReader.UdpDatagram> all = PcapReader.readUdp(p);
                    // A sample: every packet kind, jumbograms included, without a megabyte of near-copies.
                    for (int i = 0; i < all.size(); i += Math.max(1, all.size() / 300))
                        add(all.get(i).payload());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        if (clientSeeds.isEmpty()) throw new IllegalStateException("no client packets in the captures");
    }

    private void add(byte[] d) {
        if (d.length < PacketRules.HEADER) return;
        boolean client = (d[21] & RawPacket.FLAG_CLIENT_INITIATED) != 0;
        (client ? clientSeeds : serverSeeds).add(d);
        if (d[20] == RawPacket.TYPE_DATA && d.length > PacketRules.HEADER) {
            payloads.add(Arrays.copyOfRange(d, PacketRules.HEADER, Math.min(d.length, PacketRules.HEADER + 1412)));
        }
    }

    public int seedCount() {
        return clientSeeds.size() + serverSeeds.size();
    }

    public Identity newIdentity() {
        return new Identity(r);
    }

    /** The next fuzz datagram from a source whose connection is {@code id}. */
    public byte[] next(Identity id) {
        int pick = r.nextInt(20);
        byte[] d;
        if (pick < 15) d = clientSeeds.get(r.nextInt(clientSeeds.size())).clone();
        else if (pick < 17 && !serverSeeds.isEmpty())
            d = serverSeeds.get(r.nextInt(serverSeeds.size())).clone();
        else d = jumbogram(clientSeeds.get(r.nextInt(clientSeeds.size())), 1 + r.nextInt(5), r.nextInt(6) == 0);
        if (r.nextInt(10) < 7) d = onto(d, id);
        int mutations = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(3);
        for (int i = 0; i < mutations; i++) d = mutate(d, id);
        if (r.nextInt(8) == 0) id.renew(r); // a fresh connection now and then
        return d;
    }

    /**
     * The packet rewritten onto identity {@code id}: its epoch and cid (any channel), a call number at,
     * just after or just before the channel's current one, a fresh serial.
     */
    private byte[] onto(byte[] d, Identity id) {
        if (d.length < PacketRules.HEADER) return d;
        ByteBuffer b = ByteBuffer.wrap(d);
        int channel = r.nextInt(4);
        int[] deltas = {-1, 0, 0, 0, 0, 1, 1, 2};
        int call = id.call[channel] + deltas[r.nextInt(deltas.length)];
        if (call - id.call[channel] > 0) id.call[channel] = call;
        b.putInt(0, id.epoch).putInt(4, id.cid | channel).putInt(8, call).putInt(16, id.serial++);
        return d;
    }

    /** One random mutation. */
    public byte[] mutate(byte[] d, Identity id) {
        switch (r.nextInt(14)) {
            case 0:
                return flipBits(d);
            case 1:
                if (d.length > 0) d[r.nextInt(d.length)] = (byte) EDGE_BYTES[r.nextInt(EDGE_BYTES.length)];
                return d;
            case 2:
                return truncate(d);
            case 3:
                return extend(d);
            case 4:
                return setField(d, r.nextInt(FIELDS.length), edgeWord());
            case 5:
                return swapFields(d);
            case 6:
                return splice(d);
            case 7:
                return jumbogram(d, 1 + r.nextInt(5), r.nextInt(3) == 0);
            case 8:
                return setField(d, 5, r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(16)); // type
            case 9:
                return flags(d);
            case 10:
                return ackFields(d);
            case 11:
                return d.length >= PacketRules.HEADER + 4 ? setWord(d, PacketRules.HEADER, edgeWord()) : d;
            case 12:
                return sequenceEdges(d, id);
            default:
                return d.length >= PacketRules.HEADER ? setField(d, 10, r.nextInt(3) == 0 ? 0 : 147) : d; // service
        }
    }

    private int edgeWord() {
        return r.nextInt(4) == 0 ? r.nextInt() : EDGE_WORDS[r.nextInt(EDGE_WORDS.length)];
    }

    private byte[] flipBits(byte[] d) {
        if (d.length == 0) return d;
        int n = 1 + r.nextInt(8);
        // Most flips in the header, where the decisions are made.
        for (int i = 0; i < n; i++) {
            int at = r.nextInt(3) > 0 ? r.nextInt(Math.min(d.length, PacketRules.HEADER)) : r.nextInt(d.length);
            d[at] ^= (byte) (1 << r.nextInt(8));
        }
        return d;
    }

    private byte[] truncate(byte[] d) {
        int[] boundaries = {0, 1, 27, 28, 29, 31, 32, 45, 46, 48, 50, 60, 64};
        int to = r.nextBoolean() ? boundaries[r.nextInt(boundaries.length)] : r.nextInt(d.length + 1);
        return Arrays.copyOf(d, Math.min(d.length, to));
    }

    private byte[] extend(byte[] d) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            int[] sizes = {1444, 5692, MAX_DATAGRAM, MAX_DATAGRAM + 1, 20_000};
            int to = sizes[r.nextInt(sizes.length)];
            return to > d.length ? Arrays.copyOf(d, to) : d;
        }
        byte[] extra = new byte[1 + r.nextInt(64)];
        if (kind < 6) r.nextBytes(extra);
        return RandomRxDatagrams.concat(d, extra);
    }

    private byte[] setField(byte[] d, int field, int value) {
        int at = FIELDS[field][0];
        int width = FIELDS[field][1];
        if (d.length < at + width) return d;
        ByteBuffer b = ByteBuffer.wrap(d);
        if (width == 4) b.putInt(at, value);
        else if (width == 2) b.putShort(at, (short) value);
        else b.put(at, (byte) value);
        return d;
    }

    private static byte[] setWord(byte[] d, int at, int value) {
        ByteBuffer.wrap(d).putInt(at, value);
        return d;
    }

    private byte[] swapFields(byte[] d) {
        if (d.length < PacketRules.HEADER) return d;
        ByteBuffer b = ByteBuffer.wrap(d);
        if (r.nextBoolean()) {
            int i = 4 * r.nextInt(5);
            int j = 4 * r.nextInt(5);
            int x = b.getInt(i);
            b.putInt(i, b.getInt(j)).putInt(j, x);
        } else {
            int i = 20 + r.nextInt(4);
            int j = 20 + r.nextInt(8);
            byte x = d[i];
            d[i] = d[j];
            d[j] = x;
        }
        return d;
    }

    /** This header on another packet's body, or another header on this body. */
    private byte[] splice(byte[] d) {
        byte[] other = r.nextInt(4) == 0 && !serverSeeds.isEmpty()
                ? serverSeeds.get(r.nextInt(serverSeeds.size()))
                : clientSeeds.get(r.nextInt(clientSeeds.size()));
        if (d.length < PacketRules.HEADER) return d;
        byte[] header = Arrays.copyOf(r.nextBoolean() ? d : other, PacketRules.HEADER);
        byte[] body = r.nextBoolean() ? d : other;
        return RandomRxDatagrams.concat(header, Arrays.copyOfRange(body, PacketRules.HEADER, body.length));
    }

    /**
     * A jumbogram: {@code d}'s header (made DATA) and payload padded or cut to 1412 bytes, then {@code
     * more} sub-packets of captured payloads; right, or with one mistake (a sub-packet a few bytes off
     * 1412, JUMBO and LAST together, seqs that wrap through 0, random jumbo-header flags).
     */
    private byte[] jumbogram(byte[] d, int more, boolean wrong) {
        if (d.length < PacketRules.HEADER) return d;
        ByteBuffer out = ByteBuffer.allocate(PacketRules.HEADER + (more + 1) * (1412 + 4) + 8);
        out.put(d, 0, PacketRules.HEADER);
        out.put(20, (byte) RawPacket.TYPE_DATA);
        out.put(21, (byte) ((d[21] | RawPacket.FLAG_JUMBO_PACKET) & ~RawPacket.FLAG_LAST_PACKET));
        int mistake = wrong ? r.nextInt(4) : -1;
        byte[] first = Arrays.copyOf(Arrays.copyOfRange(d, PacketRules.HEADER, d.length), 1412);
        out.put(first);
        for (int i = 0; i < more; i++) {
            boolean last = i == more - 1;
            int flags = RawPacket.FLAG_CLIENT_INITIATED
                    | (last ? (r.nextBoolean() ? RawPacket.FLAG_LAST_PACKET : 0) : RawPacket.FLAG_JUMBO_PACKET);
            if (mistake == 1 && i == 0) flags |= RawPacket.FLAG_LAST_PACKET | RawPacket.FLAG_JUMBO_PACKET;
            if (mistake == 3) flags = r.nextInt(256);
            out.put((byte) flags).put((byte) 0).putShort((short) 0);
            byte[] p = payloads.get(r.nextInt(payloads.size()));
            int size = last ? Math.min(p.length, 1412) : 1412;
            if (mistake == 0 && i == more / 2 && !last) size = 1412 - 1 - r.nextInt(8);
            out.put(Arrays.copyOf(p, size));
        }
        byte[] j = Arrays.copyOf(out.array(), out.position());
        if (mistake == 2) setWord(j, 12, -1 - r.nextInt(more));
        return j;
    }

    private byte[] flags(byte[] d) {
        if (d.length < PacketRules.HEADER) return d;
        int[] bits = {
            RawPacket.FLAG_CLIENT_INITIATED,
            RawPacket.FLAG_REQUEST_ACK,
            RawPacket.FLAG_LAST_PACKET,
            RawPacket.FLAG_MORE_PACKETS,
            RawPacket.FLAG_JUMBO_PACKET,
            0x10,
            0x40,
            0x80
        };
        if (r.nextInt(3) == 0) d[21] = (byte) r.nextInt(256);
        else d[21] ^= (byte) bits[r.nextInt(bits.length)];
        return d;
    }

    /** The ACK body's fields: nAcks, firstPacket, previousPacket, serial, reason, trailer words. */
    private byte[] ackFields(byte[] d) {
        int body = PacketRules.HEADER;
        if (d.length < body + PacketRules.ACK_FIXED) return setField(d, 5, RawPacket.TYPE_ACK);
        ByteBuffer b = ByteBuffer.wrap(d);
        switch (r.nextInt(5)) {
            case 0:
                d[body + 17] = (byte) (r.nextBoolean() ? r.nextInt(256) : d.length - body - PacketRules.ACK_FIXED + 1);
                break;
            case 1:
                b.putInt(body + 4 + 4 * r.nextInt(3), edgeWord());
                break;
            case 2:
                d[body + 16] = (byte) r.nextInt(r.nextBoolean() ? 10 : 256);
                break;
            case 3: {
                int trailer = body + PacketRules.ACK_FIXED + (d[body + 17] & 0xff) + 3;
                int word = trailer + 4 * r.nextInt(4);
                if (word + 4 <= d.length) b.putInt(word, edgeWord());
                break;
            }
            default:
                for (int i = body + PacketRules.ACK_FIXED; i < d.length; i++) d[i] = (byte) r.nextInt(2);
                break;
        }
        return d;
    }

    /** seq, serial or call number at an edge, or just around the identity's current call. */
    private byte[] sequenceEdges(byte[] d, Identity id) {
        if (d.length < PacketRules.HEADER) return d;
        int[] seqs = {0, 1, 2, 31, 32, 33, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE};
        ByteBuffer b = ByteBuffer.wrap(d);
        switch (r.nextInt(3)) {
            case 0:
                b.putInt(12, r.nextBoolean() ? seqs[r.nextInt(seqs.length)] : 1 + r.nextInt(40));
                break;
            case 1:
                b.putInt(16, seqs[r.nextInt(seqs.length)]);
                break;
            default:
                int channel = b.getInt(4) & 3;
                int[] calls = {0, 1, id.call[channel], id.call[channel] + 1, id.call[channel] - 1, 0x80000000, -1};
                b.putInt(8, calls[r.nextInt(calls.length)]);
                break;
        }
        return d;
    }
}
