package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/** Packets held behind a gap go back to the pool when the call ends (they were lost before). */
class HeldPacketsReturnToThePoolTest {
    @Test
    void packetsHeldAfterAGapGoBackToThePoolWhenTheCallEnds() throws Exception {
        Endpoint server =
                (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        RawRxSocket raw = RawRxSocket.open();
        try (RxUserService s = server.listenUser(2000, 4, true)) {
            Thread.sleep(200);
            int before = server.pool.available();
            int epoch = 0x80004321;
            int cid = 0x00bcd000;
            for (int seq : new int[] {1, 3, 4}) { // 2 is "lost"
                raw.send(
                        server.localAddress(),
                        RawRxSocket.data(
                                epoch,
                                cid,
                                1,
                                seq,
                                seq,
                                RawPacket.FLAG_CLIENT_INITIATED,
                                0,
                                0,
                                0,
                                2000,
                                new byte[100]));
            }
            RxCall call = s.accept(1, null, 5, TimeUnit.SECONDS);
            assertNotNull(call);
            raw.send(
                    server.localAddress(),
                    RawRxSocket.packet(
                            RawRxSocket.header(
                                    epoch,
                                    cid,
                                    1,
                                    0,
                                    10,
                                    RawPacket.TYPE_ABORT,
                                    RawPacket.FLAG_CLIENT_INITIATED,
                                    0,
                                    0,
                                    0,
                                    2000),
                            RawRxSocket.abortBody(-1)));
            assertTrue(call.awaitCompletion(5, TimeUnit.SECONDS));
            call.close();
            Thread.sleep(200);
            int after = server.pool.available();
            System.out.println("pool before " + before + ", after the call ended and was closed " + after + " ("
                    + call.state() + ")");
            assertEquals(before, after, "every buffer the call took is back");
        } finally {
            raw.close();
            server.close();
        }
    }
}
