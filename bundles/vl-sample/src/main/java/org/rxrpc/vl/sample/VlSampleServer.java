package org.rxrpc.vl.sample;

import java.time.Duration;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.vl.sample.gen.VlDispatcher;

/**
 * The sample VL server as a call handler: each call goes to the dispatcher generated from vl.xg, whose
 * procedures ({@link VlProcedures}) answer from a {@link VolumeDatabase}; writes only for its
 * {@link SuperUsers} (by default the server key holder, as {@code -localauth}). Serve it with {@link #serve} or
 * publish it on the whiteboard (the bundle does).
 */
public class VlSampleServer implements RxCallHandler {
    /** The VL service id. */
    public static final int SERVICE_ID = 52;
    /** The VL port. */
    public static final int PORT = 7003;

    private final VolumeDatabase db;
    private final VlDispatcher dispatcher;

    /** Writes only for the server key holder ({@link SuperUsers#keyHolderOnly()}). */
    public VlSampleServer(VolumeDatabase db) {
        this(db, SuperUsers.keyHolderOnly());
    }

    public VlSampleServer(VolumeDatabase db, SuperUsers superUsers) {
        this.db = db;
        this.dispatcher = new VlDispatcher(new VlProcedures(db, superUsers), Duration.ofSeconds(60));
    }

    /**
     * Without OSGi: listens for VL (service 52) on {@code endpoint}, null class only, and serves it until
     * closed; writes for {@code superUsers} (over the null class only {@link SuperUsers#EVERYONE} can write).
     */
    public static ServiceHost serve(
            RxEndpoint endpoint, int backlog, int maxLiveCalls, VolumeDatabase db, SuperUsers superUsers) {
        return ServiceHost.serve(
                endpoint, SERVICE_ID, backlog, maxLiveCalls, "vl-sample", new VlSampleServer(db, superUsers));
    }

    @Override
    public void handle(RxCall call) {
        dispatcher.dispatch(call);
    }

    public VolumeDatabase database() {
        return db;
    }
}
