package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.CallBench.T0;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.wire.Wire;

/** rx-protocol.md §3.4: never REQUEST_ACK on the last reply packet, also when it is resent. */
class RetransmittedLastReplyPacketTest {
    @Test
    void aRetransmittedLastReplyPacketDoesNotAskForAnAckEither() {
        try (CallBench b = new CallBench(255, 255)) {
            Call call = b.serverCall();
            byte[] request = new byte[10];
            assertTrue(b.receiver.dataPacket(call, 1, Wire.FLAG_LAST_PACKET, 77, ByteBuffer.wrap(request), 0, 10));
            assertTrue(b.receiver.deliver(call));
            b.queue(call, true, 100);
            b.transmitter.pump(call, T0);
            List<RawPacket> first = b.io.takePackets();
            assertFalse(first.get(0).hasFlags(RawPacket.FLAG_REQUEST_ACK), "first transmission: no REQUEST_ACK");
            // The reply is lost: the retransmission timer resends it.
            b.transmitter.rtoExpired(call, T0 + Peer.INITIAL_RTO_NANOS);
            List<RawPacket> resent = b.io.takePackets();
            assertEquals(1, resent.size());
            assertTrue(resent.get(0).hasFlags(RawPacket.FLAG_LAST_PACKET));
            assertFalse(
                    resent.get(0).hasFlags(RawPacket.FLAG_REQUEST_ACK),
                    "rx-protocol.md §3.4: never REQUEST_ACK on the last reply packet: " + resent.get(0));
        }
    }
}
