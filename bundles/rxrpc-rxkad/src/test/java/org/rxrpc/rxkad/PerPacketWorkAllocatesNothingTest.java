package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.rxrpc.security.ServerConnectionSecurity;

/**
 * The transport's rule: per packet nothing is allocated (checksum, secure, verify at every level, and a
 * rejected packet too), and open + challenge on a state made ahead of time allocate nothing either. A
 * response's verification allocates inside the JDK's DES (once per connection); its figure is printed.
 */
class PerPacketWorkAllocatesNothingTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void securingAndVerifyingPacketsAllocatesNothing() throws Exception {
        for (int level = 0; level <= 2; level++) {
            Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), level)).authenticated();
            byte[] body = new byte[1412];
            int sent = 0;
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) { // early rounds warm up (JIT, class loading)
                long before = allocated();
                for (int seq = 1; seq <= 20_000; seq++) {
                    sent = p.client.secure(body, 0, 1400, Pair.EPOCH, Pair.CID, 9, seq, seq);
                    int sum = p.client.headerChecksum(Pair.EPOCH, Pair.CID, 9, seq);
                    p.server.verify(body, 0, sent, Pair.EPOCH, Pair.CID, 9, seq, seq, sum);
                    try {
                        p.server.verify(body, 0, sent, Pair.EPOCH, Pair.CID, 9, seq, seq, sum ^ 1);
                    } catch (org.rxrpc.security.SecurityFailure expected) {
                        // preallocated
                    }
                }
                least = Math.min(least, allocated() - before);
            }
            assertEquals(0, least, "bytes allocated by 20,000 packets at level " + level);
            assertTrue(sent > 0);
        }
    }

    @Test
    void openingAndChallengingAPreparedStateAllocatesNothing() {
        RxkadServerSecurity server = Pair.server(0);
        ServerConnectionSecurity[] states = new ServerConnectionSecurity[1000];
        for (int i = 0; i < states.length; i++) states[i] = server.newConnectionState();
        ByteBuffer out = ByteBuffer.allocateDirect(16);
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) { // early rounds warm up (JIT, class loading)
            long before = allocated();
            for (ServerConnectionSecurity s : states) {
                s.open(Pair.EPOCH, Pair.CID);
                out.clear();
                s.writeChallenge(out);
            }
            least = Math.min(least, allocated() - before);
        }
        assertEquals(0, least, "bytes allocated by 1,000 opens and challenges");
    }

    @Test
    void responseVerificationUnderAKnownServerKeyAllocatesNothing() throws Exception {
        Token token = Pair.token();
        RxkadServerSecurity server = Pair.server(0);
        long total = 0;
        long least = Long.MAX_VALUE;
        int n = 200;
        for (int i = 0; i < 2 * n; i++) {
            Pair p = new Pair(server, Pair.client(token, 2));
            ByteBuffer r = p.response();
            long before = allocated();
            p.server.verifyResponse(r);
            long spent = allocated() - before;
            if (i >= n) {
                total += spent;
                least = Math.min(least, spent);
            }
        }
        // The thread's DES cipher stays initialised with the server key (DesTicket): no key schedule per ticket.
        System.out.println("rxkad: bytes allocated per RESPONSE verified (DES ticket, JDK DES/PCBC): " + total / n);
        assertEquals(0, least, "per response");
        assertTrue(total / n < 64, "per response on average: " + total / n);
    }
}
