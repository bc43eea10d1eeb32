package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/** An in-order jumbogram is ACKed as in order (its later sub-packets were taken as out of sequence). */
class InOrderJumbogramAckReasonTest {
    @Test
    void anInOrderJumbogramIsNotAnsweredAsOutOfSequence() throws Exception {
        try (RxEndpoint server =
                        new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
                RxUserService s = server.listenUser(2000, 4, true)) {
            RawRxSocket raw = RawRxSocket.open();
            try {
                int epoch = 0x80001234;
                int cid = 0x00abc000;
                byte[] h = RawRxSocket.header(
                        epoch,
                        cid,
                        1,
                        1,
                        1,
                        RawPacket.TYPE_DATA,
                        RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_JUMBO_PACKET,
                        0,
                        0,
                        0,
                        2000);
                ByteBuffer body = ByteBuffer.allocate(1412 + 4 + 100);
                body.put(new byte[1412])
                        .put((byte) 0)
                        .put((byte) 0)
                        .putShort((short) 0)
                        .put(new byte[100]);
                raw.send(server.localAddress(), RawRxSocket.packet(h, body.array()));
                byte[] reply = raw.receive(Duration.ofSeconds(5));
                assertNotNull(reply, "no ACK");
                RawPacket p = RawPacket.parse(reply);
                assertEquals(RawPacket.TYPE_ACK, p.type(), p.toString());
                RawPacket.Ack ack = p.ack();
                System.out.println("ACK for in-order jumbogram seq 1-2: firstPacket=" + ack.firstPacket() + " nAcks="
                        + ack.nAcks() + " reason=" + ack.reason() + " serial=" + ack.serial());
                assertEquals(3, ack.firstPacket(), "both hard-ACKed: they arrived in order");
                assertNotEquals(
                        RawPacket.ACK_OUT_OF_SEQUENCE,
                        ack.reason(),
                        "rx-protocol.md §4.1: OUT_OF_SEQUENCE is for DATA after a gap");
            } finally {
                raw.close();
            }
        }
    }
}
