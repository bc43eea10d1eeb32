package org.rxrpc.vl.sample.osgi;

import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.vl.sample.SuperUsers;
import org.rxrpc.vl.sample.VlSampleServer;
import org.rxrpc.vl.sample.VolumeDatabase;

/**
 * The sample VL bundle: the VL handler published on the whiteboard (the serving support runs it, the
 * transport listens for it on {@code rxrpc.port}), over an empty in-memory database to fill with
 * VL_CreateEntryN by a superuser (see {@link SuperUsers}). Settings: PID {@code org.rxrpc.vl.sample}.
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

    @Activate
    public VlSampleComponent(VlSampleConfiguration config) {
        super(new VolumeDatabase(), superUsers(config));
    }

    /** noAuth: everyone; a configFolder: its UserList and ThisCell; else the names given (and the key holder). */
    static SuperUsers superUsers(VlSampleConfiguration config) {
        if (config.noAuth()) return SuperUsers.EVERYONE;
        if (!config.configFolder().isBlank()) return SuperUsers.fromConfigFolder(Path.of(config.configFolder()));
        return SuperUsers.of(config.localCell(), List.of(config.superUsers()));
    }
}
