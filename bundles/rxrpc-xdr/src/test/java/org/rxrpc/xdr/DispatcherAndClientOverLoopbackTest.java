package org.rxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The stub and dispatcher bases over real UDP on loopback, with a procedure table written as rxgen
 * generates them: every abort code a request can earn, and the client's view of each.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatcherAndClientOverLoopbackTest {
    private static final int SERVICE = 4000;
    private static final int ADD = 1; // (int a, int b) -> int
    private static final int FAIL = 2; // (int code) -> aborts with code
    private static final int STREAM = 3; // split: (int n) then n raw bytes -> their sum, then "ok"
    private static final int SLOW = 4; // (int millis) -> sleeps

    private RxEndpoint server;
    private RxEndpoint client;
    private RxUserService service;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private volatile boolean running = true;

    /** The shape of a generated dispatcher. */
    private static final class Dispatcher extends RxgenDispatcher {
        Dispatcher() {
            super(Duration.ofSeconds(2));
        }

        @Override
        protected void serve(int opcode, ServerCall call) {
            XdrDecoder in = call.in();
            switch (opcode) {
                case ADD -> {
                    int a = in.readInt();
                    int b = in.readInt();
                    call.endRequest();
                    call.out().writeInt(a + b);
                }
                case FAIL -> {
                    int code = in.readInt();
                    call.endRequest();
                    throw new RxAbortException(code);
                }
                case STREAM -> {
                    int n = in.readInt();
                    ByteBuffer bulk = ByteBuffer.allocate(n);
                    call.in().readBytes(bulk);
                    int sum = 0;
                    for (byte x : bulk.array()) sum += x;
                    call.out().writeBytes(ByteBuffer.wrap("ok".getBytes()));
                    call.out().writeInt(sum);
                }
                case SLOW -> {
                    int millis = in.readInt();
                    call.endRequest();
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> throw unknownOpcode(opcode);
            }
        }
    }

    /** The shape of a generated stub. */
    private static final class Stub extends RxgenClient {
        Stub(RxEndpoint endpoint, InetSocketAddress server, Duration timeout) {
            super(endpoint, server, SERVICE, CallOptions.DEFAULT, timeout);
        }

        int add(int a, int b) throws InterruptedException {
            return call(ADD, out -> out.writeInt(a).writeInt(b), XdrDecoder::readInt);
        }

        void fail(int code) throws InterruptedException {
            call(FAIL, out -> out.writeInt(code), in -> null);
        }

        void slow(int millis) throws InterruptedException {
            call(SLOW, out -> out.writeInt(millis), in -> null);
        }

        SplitCall<Integer> stream(int n) throws InterruptedException {
            return start(STREAM, out -> out.writeInt(n), XdrDecoder::readInt);
        }

        /** Sends any opcode with raw argument bytes. */
        int raw(int opcode, byte[] args) throws InterruptedException {
            return call(opcode, out -> out.writeBytes(ByteBuffer.wrap(args)), XdrDecoder::readInt);
        }
    }

    private Stub stub;

    @BeforeEach
    void start() {
        server = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        client = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        service = server.listenUser(SERVICE, 8, true);
        Dispatcher dispatcher = new Dispatcher();
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
        workers.submit(() -> {
            while (running) {
                RxCall call = service.accept(ids.incrementAndGet(), null, 200, TimeUnit.MILLISECONDS);
                if (call != null) workers.submit(() -> dispatcher.dispatch(call));
            }
            return null;
        });
        stub = new Stub(
                client, new InetSocketAddress("127.0.0.1", server.localAddress().getPort()), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws InterruptedException {
        running = false;
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
        server.close();
    }

    private static int abortCode(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(RxCallAbortedException.class, e).abortCode();
    }

    @Test
    void aProcedureAnswersItsValue() throws Exception {
        assertEquals(5, stub.add(2, 3));
        assertEquals(Integer.MIN_VALUE, stub.add(Integer.MAX_VALUE, 1));
    }

    @Test
    void anApplicationErrorReachesTheClientAsItsAbortCode() {
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> stub.fail(363524));
        assertEquals(363524, e.abortCode());
        assertEquals(CallState.REMOTELY_ABORTED, e.state());
    }

    @Test
    void anUnknownOpcodeIsAbortedWithRxgenOpcode() {
        assertEquals(AbortCodes.RXGEN_OPCODE, abortCode(() -> stub.raw(99, new byte[0])));
    }

    @Test
    void shortAndOverlongRequestsAreAbortedWithSsUnmarshal() {
        assertEquals(AbortCodes.RXGEN_SS_UNMARSHAL, abortCode(() -> stub.raw(ADD, new byte[6])));
        assertEquals(AbortCodes.RXGEN_SS_UNMARSHAL, abortCode(() -> stub.raw(ADD, new byte[12])));
    }

    @Test
    void anUnreadableOpcodeIsAbortedWithRxgenDecode() throws Exception {
        try (RxCall call = client.newCall(stub.server(), SERVICE, CallOptions.DEFAULT, null)) {
            call.send(ByteBuffer.wrap(new byte[2]), true);
            RxCallAbortedException e = assertThrows(
                    RxCallAbortedException.class, () -> call.receive(ByteBuffer.allocate(8), 5, TimeUnit.SECONDS));
            assertEquals(AbortCodes.RXGEN_DECODE, e.abortCode());
        }
    }

    @Test
    void aReplyLongerThanItsValuesIsAbortedWithCcUnmarshal() {
        // STREAM's reply is "ok" then an int: read as ADD's single int, 2 bytes are left over
        Stub mismatched = new Stub(client, stub.server(), Duration.ofSeconds(5));
        int code = abortCode(() -> mismatched.raw(STREAM, new byte[] {0, 0, 0, 2, 1, 2}));
        assertEquals(AbortCodes.RXGEN_CC_UNMARSHAL, code);
    }

    @Test
    void anArgumentThatCannotBeEncodedIsAbortedWithCcMarshal() {
        Stub s = stub;
        RxCallAbortedException e = assertThrows(
                RxCallAbortedException.class,
                () -> s.call(ADD, out -> out.writeString("too long", 2), XdrDecoder::readInt));
        assertEquals(AbortCodes.RXGEN_CC_MARSHAL, e.abortCode());
        assertEquals(CallState.LOCALLY_ABORTED, e.state());
    }

    @Test
    void aSplitCallStreamsBetweenItsHalves() throws Exception {
        try (SplitCall<Integer> call = stub.stream(3)) {
            call.out().writeBytes(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ByteBuffer ok = ByteBuffer.allocate(2);
            call.in().readBytes(ok);
            assertEquals("ok", new String(ok.array()));
            assertEquals(6, call.end());
        }
    }

    @Test
    void aServerSlowerThanTheTimeoutEndsTheCallWithRxCallTimeout() {
        Stub impatient = new Stub(client, stub.server(), Duration.ofMillis(300));
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> impatient.slow(3000));
        assertEquals(AbortCodes.RX_CALL_TIMEOUT, e.abortCode());
        assertEquals(CallState.LOCALLY_ABORTED, e.state());
    }

    @Test
    void manySequentialCallsReuseTheBuffersOfOneThread() throws Exception {
        for (int i = 0; i < 200; i++) assertEquals(2 * i, stub.add(i, i));
    }
}
