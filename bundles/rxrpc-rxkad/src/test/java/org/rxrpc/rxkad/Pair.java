package org.rxrpc.rxkad;

import java.nio.ByteBuffer;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.ServerConnectionSecurity;

/** A client and a server state of one connection, driven through the SPI as the transport will. */
final class Pair {
    static final int EPOCH = 0x80001234;
    static final int CID = 0x12340004;
    static final long NOW = 1_800_000_000L;
    static final ServerKey KEY = ServerKey.des(7, Hex.bytes("0123456789abcdef"));
    static final ServerKeyRing KEYS = new ServerKeyRing(java.util.List.of(KEY));

    final ServerConnectionSecurity server;
    final ClientConnectionSecurity client;

    Pair(RxkadServerSecurity serverSecurity, RxkadClientSecurity clientSecurity) {
        server = serverSecurity.newConnectionState();
        server.open(EPOCH, CID);
        client = clientSecurity.newConnection(EPOCH, CID);
    }

    static RxkadServerSecurity server(int minimumLevel) {
        return RxkadServerSecurity.builder(KEYS)
                .minimumLevel(minimumLevel)
                .clock(() -> NOW)
                .build();
    }

    static Token token() {
        return LocalAuth.mint(KEY, "admin", "", "", NOW - 60, 3600);
    }

    static RxkadClientSecurity client(Token token, int level) {
        return new RxkadClientSecurity(token, level, () -> NOW);
    }

    /** Challenge, response: the response body. */
    ByteBuffer response() throws SecurityFailure {
        ByteBuffer challenge = ByteBuffer.allocate(64);
        server.writeChallenge(challenge);
        challenge.flip();
        ByteBuffer response = ByteBuffer.allocate(client.maxResponseLength());
        client.writeResponse(challenge, response, 3, 0, 1, 0);
        response.flip();
        return response;
    }

    Pair authenticated() throws SecurityFailure {
        server.verifyResponse(response());
        return this;
    }
}
