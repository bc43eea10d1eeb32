package org.rxrpc.transport.shell;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.transport.wire.Wire;

/**
 * {@code rx:ping}: round trips to a remote Rx endpoint, from a plain UDP socket of its own. First VERSION
 * requests (as {@code rxdebug -version}: answered by OpenAFS, Linux and us, no connection needed), then
 * ACK pings within a call to a service: a first DATA packet (empty, not the last) opens the call, PINGs
 * on it are answered with PING_RESPONSE by OpenAFS, Linux and us alike, and an ABORT ends it. The service's
 * handler sees a call that its client aborted.
 */
final class RxPing {
    private static final int PING_SERIAL_BASE = 100;
    private final InetSocketAddress target;
    private final int count;
    private final int serviceId;
    private final int timeoutMillis;
    private final SecureRandom random = new SecureRandom();

    RxPing(InetSocketAddress target, int count, int serviceId, int timeoutMillis) {
        this.target = target;
        this.count = count;
        this.serviceId = serviceId;
        this.timeoutMillis = timeoutMillis;
    }

    /** The report, a line per probe and a summary line per kind. */
    List<String> run() throws IOException {
        List<String> out = new ArrayList<>();
        String where = address(target);
        out.add("PING " + where + ": " + count + " VERSION request(s), then " + count
                + " ACK ping(s) in a call to service " + serviceId);
        try (DatagramSocket s = new DatagramSocket()) { // the wildcard address: any target is reachable
            s.setSoTimeout(timeoutMillis);
            List<Double> versions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int callNumber = 1 + random.nextInt(Integer.MAX_VALUE - 1);
                byte[] req = header(999, 0, callNumber, 0, 0, Wire.TYPE_VERSION, Wire.FLAG_CLIENT_INITIATED, 0, 1);
                long t0 = System.nanoTime();
                s.send(new DatagramPacket(req, req.length, target));
                ByteBuffer reply = await(s, Wire.TYPE_VERSION, callNumber, -1, t0);
                if (reply == null) {
                    out.add("VERSION: no reply within " + timeoutMillis + " ms");
                    continue;
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                versions.add(ms);
                out.add(String.format(Locale.ROOT, "VERSION reply from %s in %.3f ms: %s", where, ms, text(reply)));
            }
            out.add(summary("VERSION replies", versions));
            out.addAll(ackPings(s, where));
        }
        return out;
    }

    private List<String> ackPings(DatagramSocket s, String where) throws IOException {
        List<String> out = new ArrayList<>();
        List<Double> rtts = new ArrayList<>();
        int epoch = (random.nextInt() | 0x80000000) & ~0x40000000;
        int cid = (random.nextInt() & 0x3FFFFFFC) | 0x40000000;
        int serial = 1;
        // The call's first DATA packet: empty, not the last, asking for an ACK.
        byte[] data = header(
                epoch,
                cid,
                1,
                1,
                serial++,
                Wire.TYPE_DATA,
                Wire.FLAG_CLIENT_INITIATED | Wire.FLAG_REQUEST_ACK,
                serviceId,
                0);
        long t0 = System.nanoTime();
        s.send(new DatagramPacket(data, data.length, target));
        ByteBuffer first = awaitCall(s, cid, t0);
        if (first == null) {
            out.add("ACK ping: no answer to a new call for service " + serviceId + " within " + timeoutMillis + " ms");
            out.add(summary("PING responses", rtts));
            return out;
        }
        if ((first.get(20) & 0xff) == Wire.TYPE_ABORT) {
            int code = first.limit() >= 32 ? first.getInt(28) : 0;
            out.add("ACK ping: the call for service " + serviceId + " was aborted with code " + code + " ("
                    + AbortCodes.name(code) + "): no such service there?");
            out.add(summary("PING responses", rtts));
            return out;
        }
        try {
            for (int i = 0; i < count; i++) {
                int pingSerial = PING_SERIAL_BASE + serial++;
                byte[] ping = ping(epoch, cid, serviceId, pingSerial);
                long t = System.nanoTime();
                s.send(new DatagramPacket(ping, ping.length, target));
                ByteBuffer r = await(s, Wire.TYPE_ACK, 1, Wire.ACK_PING_RESPONSE, t);
                if (r == null) {
                    out.add("ACK ping: no PING_RESPONSE within " + timeoutMillis + " ms");
                    continue;
                }
                double ms = (System.nanoTime() - t) / 1e6;
                rtts.add(ms);
                out.add(String.format(
                        Locale.ROOT, "PING_RESPONSE from %s (service %d) in %.3f ms", where, serviceId, ms));
            }
        } finally {
            byte[] abort = header(epoch, cid, 1, 0, serial, Wire.TYPE_ABORT, Wire.FLAG_CLIENT_INITIATED, serviceId, 4);
            ByteBuffer.wrap(abort).putInt(28, AbortCodes.RX_USER_ABORT);
            s.send(new DatagramPacket(abort, abort.length, target));
        }
        out.add(summary("PING responses", rtts));
        return out;
    }

    private String summary(String what, List<Double> rtts) {
        if (rtts.isEmpty()) return "--- " + what + ": 0 of " + count;
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (double r : rtts) {
            min = Math.min(min, r);
            max = Math.max(max, r);
            sum += r;
        }
        return String.format(
                Locale.ROOT,
                "--- %s: %d of %d, rtt min/avg/max %.3f/%.3f/%.3f ms",
                what,
                rtts.size(),
                count,
                min,
                sum / rtts.size(),
                max);
    }

    /** The next datagram of that type (and call number, and ACK reason if not -1), or null at the timeout. */
    private ByteBuffer await(DatagramSocket s, int type, int callNumber, int ackReason, long since) throws IOException {
        byte[] buf = new byte[2048];
        while ((System.nanoTime() - since) / 1_000_000 < timeoutMillis) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (p.getLength() < Wire.HEADER_SIZE) continue;
            ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength()).slice();
            if ((b.get(20) & 0xff) != type || b.getInt(8) != callNumber) continue;
            if (ackReason >= 0
                    && (p.getLength() < Wire.HEADER_SIZE + 18 || (b.get(Wire.HEADER_SIZE + 16) & 0xff) != ackReason))
                continue;
            return ByteBuffer.wrap(java.util.Arrays.copyOf(buf, p.getLength()));
        }
        return null;
    }

    /** The first answer on our connection's call 1 (an ACK, DATA or ABORT), or null at the timeout. */
    private ByteBuffer awaitCall(DatagramSocket s, int cid, long since) throws IOException {
        byte[] buf = new byte[2048];
        while ((System.nanoTime() - since) / 1_000_000 < timeoutMillis) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (p.getLength() < Wire.HEADER_SIZE) continue;
            ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(buf, p.getLength()));
            int type = b.get(20) & 0xff;
            boolean ours = (b.getInt(4) & ~3) == cid || type == Wire.TYPE_ABORT;
            if (ours
                    && (type == Wire.TYPE_ACK
                            || type == Wire.TYPE_DATA
                            || type == Wire.TYPE_ABORT
                            || type == Wire.TYPE_BUSY)) return b;
        }
        return null;
    }

    private static byte[] header(
            int epoch, int cid, int callNumber, int seq, int serial, int type, int flags, int serviceId, int body) {
        ByteBuffer b = ByteBuffer.allocate(Wire.HEADER_SIZE + body);
        b.putInt(epoch).putInt(cid).putInt(callNumber).putInt(seq).putInt(serial);
        b.put((byte) type).put((byte) flags).put((byte) 0).put((byte) 0);
        b.putShort((short) 0).putShort((short) serviceId);
        return b.array();
    }

    /** An ACK with reason PING, nothing received yet, asking for an answer; our trailer after it. */
    private static byte[] ping(int epoch, int cid, int serviceId, int serial) {
        byte[] p = header(
                epoch,
                cid,
                1,
                0,
                serial,
                Wire.TYPE_ACK,
                Wire.FLAG_CLIENT_INITIATED | Wire.FLAG_REQUEST_ACK,
                serviceId,
                18 + 3 + 16);
        ByteBuffer b = ByteBuffer.wrap(p);
        int o = Wire.HEADER_SIZE;
        b.putShort(o, (short) 32); // bufferSpace
        b.putInt(o + 4, 1); // firstPacket: nothing received
        b.putInt(o + 12, 0); // serial
        b.put(o + 16, (byte) Wire.ACK_PING);
        b.put(o + 17, (byte) 0); // nAcks
        int t = o + 18 + 3;
        b.putInt(t, Wire.OUR_MAX_MTU)
                .putInt(t + 4, Wire.OUR_IF_MTU)
                .putInt(t + 8, 32)
                .putInt(t + 12, 1);
        return p;
    }

    /** A VERSION reply's text: up to 65 bytes after the header, NUL-padded. */
    private static String text(ByteBuffer reply) {
        int n = Math.min(65, reply.limit() - Wire.HEADER_SIZE);
        byte[] t = new byte[Math.max(0, n)];
        reply.get(Wire.HEADER_SIZE, t);
        int end = 0;
        while (end < t.length && t[end] != 0) end++;
        return new String(t, 0, end, StandardCharsets.US_ASCII).trim();
    }

    static String address(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
