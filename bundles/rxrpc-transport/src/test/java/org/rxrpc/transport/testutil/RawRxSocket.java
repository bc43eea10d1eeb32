package org.rxrpc.transport.testutil;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain UDP socket on 127.0.0.1 for tests that speak raw Rx datagrams to (or pretend to be) a peer,
 * plus static builders for the datagrams. Builders and {@link RawPacket} follow rx-protocol.md §1, §2,
 * §4 and §5 and share nothing with the transport under test.
 *
 * <p>Blocking and single-threaded by design: a test sends, then waits for what comes back.
 */
public final class RawRxSocket implements AutoCloseable {

    /** Largest UDP payload; anything an Rx peer sends fits. */
    private static final int MAX_DATAGRAM = 65_535;
    /** Stops {@link #receiveAll} from running forever against a peer that never goes quiet. */
    private static final int RECEIVE_ALL_LIMIT = 10_000;

    /** A received datagram and who sent it (needed to answer a client). */
    public record Received(InetSocketAddress source, byte[] data) {}

    private final DatagramSocket socket;
    private final byte[] buffer = new byte[MAX_DATAGRAM];

    private RawRxSocket(DatagramSocket socket) {
        this.socket = socket;
    }

    /** Binds a new socket to 127.0.0.1 on an ephemeral port. */
    public static RawRxSocket open() throws IOException {
        return new RawRxSocket(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public void send(InetSocketAddress to, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    /** The next datagram's bytes, or null if none arrives within {@code timeout}. */
    public byte[] receive(Duration timeout) throws IOException {
        Received r = receiveFrom(timeout);
        return r == null ? null : r.data();
    }

    /** The next datagram with its source, or null if none arrives within {@code timeout}. */
    public Received receiveFrom(Duration timeout) throws IOException {
        // SO_TIMEOUT 0 would mean "forever", so never go below 1 ms.
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Received(
                (InetSocketAddress) p.getSocketAddress(),
                Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()));
    }

    /**
     * Everything that arrives until nothing has come for {@code quietPeriod} (at most 10 000 datagrams),
     * in arrival order.
     */
    public List<byte[]> receiveAll(Duration quietPeriod) throws IOException {
        List<byte[]> all = new ArrayList<>();
        byte[] d;
        while (all.size() < RECEIVE_ALL_LIMIT && (d = receive(quietPeriod)) != null) {
            all.add(d);
        }
        return all;
    }

    @Override
    public void close() {
        socket.close();
    }

    // ---- builders -------------------------------------------------------------------------------

    /**
     * The 28-byte Rx header (§1). 32-bit fields take any int (their bits are sent unsigned, so
     * {@code 0xb861101a} works); 8-bit fields must be 0..255 and 16-bit ones 0..65535.
     */
    public static byte[] header(
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
        return new RawPacket(
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
                        serviceId,
                        new byte[0])
                .toBytes();
    }

    /** A DATA datagram (type 1): header then {@code payload}. */
    public static byte[] data(
            int epoch,
            int cid,
            int callNumber,
            int seq,
            int serial,
            int flags,
            int userStatus,
            int securityIndex,
            int checksum,
            int serviceId,
            byte[] payload) {
        return new RawPacket(
                        epoch,
                        cid,
                        callNumber,
                        seq,
                        serial,
                        RawPacket.TYPE_DATA,
                        flags,
                        userStatus,
                        securityIndex,
                        checksum,
                        serviceId,
                        payload)
                .toBytes();
    }

    /** Concatenates a header (from {@link #header}) and a body, e.g. {@link #ackBody} or {@link #abortBody}. */
    public static byte[] packet(byte[] header, byte[] body) {
        byte[] d = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, d, header.length, body.length);
        return d;
    }

    /**
     * An ACK body (§4): bufferSpace and maxSkew 0, the fixed fields, one byte per entry of {@code acks}
     * (1 = ACK, 0 = NACK), 3 zero pad bytes, then the trailer words (normally 4: maxMTU, ifMTU, rwind,
     * jumbo_max; pass none to send an ACK without a trailer).
     */
    public static byte[] ackBody(
            int firstPacket, int previousPacket, int serial, int reason, byte[] acks, int... trailerWords) {
        if (acks.length > 255) {
            throw new IllegalArgumentException("nAcks is one byte: at most 255 acks, got " + acks.length);
        }
        if (reason < 0 || reason > 0xff) {
            throw new IllegalArgumentException("reason is one byte, got " + reason);
        }
        boolean hasTrailer = trailerWords.length > 0;
        ByteBuffer b = ByteBuffer.allocate(RawPacket.ACK_FIXED_SIZE
                + acks.length
                + (hasTrailer ? RawPacket.ACK_PAD_SIZE + 4 * trailerWords.length : 0));
        b.putShort((short) 0)
                .putShort((short) 0)
                .putInt(firstPacket)
                .putInt(previousPacket)
                .putInt(serial)
                .put((byte) reason)
                .put((byte) acks.length)
                .put(acks);
        if (hasTrailer) {
            b.put(new byte[RawPacket.ACK_PAD_SIZE]);
            for (int w : trailerWords) {
                b.putInt(w);
            }
        }
        return b.array();
    }

    /** An ABORT body (§5.1): the signed 32-bit code. */
    public static byte[] abortBody(int code) {
        return ByteBuffer.allocate(4).putInt(code).array();
    }
}
