package org.rxrpc.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.SecurityClass;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * A hand-driven rxkad client on a raw UDP socket, for hostile cases: it secures DATA with the real rxkad
 * client state of its connection, answers challenges with real responses, and lets a test tamper with any
 * byte on the way.
 */
final class RawRxkadClient implements AutoCloseable {
    static final int EPOCH = 0x80c0ffee;

    final RawRxSocket socket;
    final InetSocketAddress server;
    final int serviceId;
    final int cid;
    final ClientConnectionSecurity security;
    private int serial = 1;

    RawRxkadClient(InetSocketAddress server, int serviceId, int cid, RxkadClientSecurity security) throws IOException {
        this.socket = RawRxSocket.open();
        this.server = server;
        this.serviceId = serviceId;
        this.cid = cid;
        this.security = security.newConnection(EPOCH, cid);
    }

    /** A whole one-packet request (flags LAST), secured; {@code tamper} may change the datagram before it goes. */
    void sendRequest(int callNumber, byte[] request, java.util.function.Consumer<byte[]> tamper) throws Exception {
        int h = security.securityHeaderSize();
        byte[] body = new byte[security.securedLength(request.length) + 8];
        System.arraycopy(request, 0, body, h, request.length);
        int n = security.secure(body, 0, request.length, EPOCH, cid, callNumber, 1, serial);
        int checksum = security.headerChecksum(EPOCH, cid, callNumber, 1);
        byte[] d = RawRxSocket.data(
                EPOCH,
                cid,
                callNumber,
                1,
                serial++,
                RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_LAST_PACKET,
                0,
                SecurityClass.RXKAD_INDEX,
                checksum,
                serviceId,
                Arrays.copyOf(body, n));
        if (tamper != null) tamper.accept(d);
        socket.send(server, d);
    }

    /** The next packet of {@code type} from the server within the timeout, or null. */
    RawPacket await(int type, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            byte[] d = socket.receive(Duration.ofNanos(left));
            if (d == null) return null;
            RawPacket p = RawPacket.parse(d);
            if (p.type() == type) return p;
        }
    }

    /** The RESPONSE body answering {@code challenge}, sealed for connection {@code (EPOCH, cid)} of this client. */
    byte[] responseBody(byte[] challenge, int call0) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(security.maxResponseLength());
        security.writeResponse(ByteBuffer.wrap(challenge), out, call0, 0, 0, 0);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Sends a RESPONSE with {@code body} on connection {@code onCid}. */
    void sendResponse(int onCid, byte[] body) throws IOException {
        byte[] header = RawRxSocket.header(
                EPOCH,
                onCid,
                0,
                0,
                serial++,
                RawPacket.TYPE_RESPONSE,
                RawPacket.FLAG_CLIENT_INITIATED,
                0,
                SecurityClass.RXKAD_INDEX,
                0,
                serviceId);
        socket.send(server, RawRxSocket.packet(header, body));
    }

    /** The abort code of an ABORT body. */
    static int code(RawPacket abort) {
        return ByteBuffer.wrap(abort.body()).getInt();
    }

    @Override
    public void close() {
        socket.close();
    }
}
