package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.Counter;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.transport.wire.Wire;

/**
 * The client side of the security handshake, on the I/O thread (OpenAFS rxi_ReceiveChallengePacket, Linux
 * rxrpc_process_event): a CHALLENGE on one of our connections with calls in progress is answered with the
 * class's RESPONSE; one on an idle connection is ignored (OpenAFS: nobody may use us as an oracle). A class
 * that cannot answer (level too high, token expired, malformed challenge) ends the connection: its calls are
 * aborted with the code and the server gets a connection ABORT, as OpenAFS does. A null-class connection
 * answers as OpenAFS's rx_null does: the challenge's body sent back as the RESPONSE.
 */
final class ChallengeAnswers {
    private final Counters counters;
    private final Output output;
    private final CallEvents events;

    ChallengeAnswers(Counters counters, Output output, CallEvents events) {
        this.counters = counters;
        this.output = output;
        this.events = events;
    }

    /** A CHALLENGE for our client connection {@code conn}: the datagram {@code b}, {@code length} bytes. */
    void challenge(Connection conn, ByteBuffer b, int length) {
        if (conn.activeCalls == 0 || conn.securityAbort != 0) {
            counters.inc(Counter.LATE_PACKETS);
            return;
        }
        int position = b.position();
        int limit = b.limit();
        try {
            b.limit(length).position(Wire.HEADER_SIZE);
            if (!conn.clientSecurity.answersChallenges()) {
                output.sendResponseEcho(conn, b);
                return;
            }
            output.sendResponse(conn, (ClientConnectionSecurity) conn.security, b);
        } catch (SecurityFailure f) {
            counters.inc(Counter.CHALLENGES_REFUSED);
            RxLog.securityRefused(conn, f);
            refuse(conn, f.abortCode());
        } finally {
            b.limit(limit).position(position);
        }
    }

    /** Ends the connection for security: its calls aborted with {@code code}, the server told once. */
    private void refuse(Connection conn, int code) {
        conn.securityAbort = code;
        output.sendAbort(conn, 0, 0, code);
        for (int ch = 0; ch < Wire.MAX_CALLS; ch++) {
            Call call = conn.channelCall[ch];
            if (call != null) events.abortLocally(call, code, false);
        }
    }
}
