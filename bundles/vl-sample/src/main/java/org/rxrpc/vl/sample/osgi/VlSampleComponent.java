package org.rxrpc.vl.sample.osgi;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.vl.sample.VlSampleServer;
import org.rxrpc.vl.sample.VolumeDatabase;

/**
 * The sample VL bundle: the VL handler published on the whiteboard (the serving support runs it, the
 * transport listens for it on {@code rxrpc.port}), over an empty in-memory database to fill with
 * VL_CreateEntryN. Settings: PID {@code org.rxrpc.vl.sample}.
 */
@Component(
        service = RxCallHandler.class,
        configurationPid = VlSampleComponent.PID,
        property = {
            "rxrpc.service.id:Integer=52",
            "rxrpc.service.name=volume location (VL sample)",
            "rxrpc.port:Integer=7003",
            "rxrpc.backlog:Integer=8",
            "rxrpc.maxLiveCalls:Integer=8"
        })
@Designate(ocd = VlSampleConfiguration.class)
public final class VlSampleComponent extends VlSampleServer {
    public static final String PID = "org.rxrpc.vl.sample";

    public VlSampleComponent() {
        super(new VolumeDatabase());
    }
}
