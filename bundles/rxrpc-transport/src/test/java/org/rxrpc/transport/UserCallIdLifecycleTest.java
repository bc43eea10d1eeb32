package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallIdInUseException;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;

/** A user call ID is in use from its charge until its call is released, exactly once (Linux's call tree). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserCallIdLifecycleTest {
    private static final int SERVICE = 4545;
    private RxEndpoint server;
    private RxEndpoint client;
    private RxService service;
    private final BlockingQueue<RxCall> madeLive = new LinkedBlockingQueue<>();
    private final List<Long> discarded = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        server = new RxTransportImpl().open(EndpointOptions.defaults());
        client = new RxTransportImpl().open(EndpointOptions.defaults());
        service = server.listen(SERVICE, 8, (s, call, id) -> madeLive.add(call), (call, id) -> discarded.add(id));
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private RxCall serveOne() throws Exception {
        RxCall c = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
        c.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
        RxCall live = madeLive.poll(10, TimeUnit.SECONDS);
        assertNotNull(live);
        TestCalls.echo(live);
        TestCalls.readAll(c, 10);
        return live;
    }

    @Test
    void closingACallTwiceFreesItsIdOnce() throws Exception {
        service.charge(1, (c, id) -> {}, null);
        RxCall live = serveOne();
        live.close();
        service.charge(1, (c, id) -> {}, null); // free again after the first close
        live.close(); // idempotent: must not free the ID now held by the new charge
        assertThrows(CallIdInUseException.class, () -> service.charge(1, (c, id) -> {}, null));
        service.close();
        assertEquals(List.of(1L), discarded);
    }

    @Test
    void closingAChargedCallThatIsNotLiveIsRefusedAndKeepsItsId() {
        RxCall[] attached = new RxCall[1];
        service.charge(5, (c, id) -> attached[0] = c, null);
        assertThrows(IllegalStateException.class, attached[0]::close);
        assertThrows(CallIdInUseException.class, () -> service.charge(5, (c, id) -> {}, null));
        assertEquals(1, service.chargedCalls());
        service.close();
        assertEquals(List.of(5L), discarded, "the charged call reaches the discard notifier once");
        attached[0].close(); // after the discard it is released: closing is harmless now
    }

    @Test
    void anAttachCallbackThatThrowsLeavesNothingChargedAndItsIdFree() {
        RuntimeException boom = new IllegalStateException("attach failed");
        RuntimeException thrown = assertThrows(
                RuntimeException.class,
                () -> service.charge(
                        7,
                        (c, id) -> {
                            throw boom;
                        },
                        null));
        assertSame(boom, thrown);
        assertEquals(0, service.chargedCalls());
        service.charge(7, (c, id) -> {}, null);
        assertEquals(1, service.chargedCalls());
        service.close();
        assertEquals(List.of(7L), discarded);
    }
}
