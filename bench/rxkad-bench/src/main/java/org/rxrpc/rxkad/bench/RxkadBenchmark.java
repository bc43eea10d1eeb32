package org.rxrpc.rxkad.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rxrpc.rxkad.Fcrypt;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.rxkad.Token;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServerConnectionSecurity;

/**
 * fcrypt PCBC over 64 KiB (MB/s = 65536 / ns-per-op x 1000), the per-packet header checksum, and a full
 * 1400-byte crypt-level packet secured by the client and verified by the server (ns/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RxkadBenchmark {
    private final Fcrypt fcrypt = new Fcrypt(0x0123456789abcdefL);
    private final byte[] block64k = new byte[65536];
    private final byte[] body = new byte[1412];
    private ClientConnectionSecurity client;
    private ServerConnectionSecurity server;
    private int seq;

    @Setup
    public void setUp() throws SecurityFailure {
        long now = System.currentTimeMillis() / 1000;
        ServerKey key = ServerKey.des(1, new byte[] {1, 35, 69, 103, (byte) 137, (byte) 171, (byte) 205, (byte) 239});
        Token token = LocalAuth.mint(new ServerKeyRing(List.of(key)), now);
        client = new RxkadClientSecurity(token, SecurityLevels.CRYPT).newConnection(0x80000001, 4);
        server = RxkadServerSecurity.builder(new ServerKeyRing(List.of(key)))
                .build()
                .newConnectionState();
        server.open(0x80000001, 4);
        ByteBuffer challenge = ByteBuffer.allocate(16);
        server.writeChallenge(challenge);
        challenge.flip();
        ByteBuffer response = ByteBuffer.allocate(client.maxResponseLength());
        client.writeResponse(challenge, response, 1, 0, 0, 0);
        server.verifyResponse(response.flip());
    }

    @Benchmark
    public long fcryptPcbcEncrypt64KiB() {
        return fcrypt.encryptPcbc(block64k, 0, block64k.length, 42L);
    }

    @Benchmark
    public long fcryptPcbcDecrypt64KiB() {
        return fcrypt.decryptPcbc(block64k, 0, block64k.length, 42L);
    }

    @Benchmark
    public int headerChecksum() {
        return client.headerChecksum(0x80000001, 4, 7, ++seq);
    }

    @Benchmark
    public int cryptPacketSecureAndVerify1400() throws SecurityFailure {
        int s = ++seq & 0x3FFFFFFF;
        int n = client.secure(body, 0, 1400, 0x80000001, 4, 7, s, s);
        int sum = client.headerChecksum(0x80000001, 4, 7, s);
        return server.verify(body, 0, n, 0x80000001, 4, 7, s, s, sum);
    }
}
