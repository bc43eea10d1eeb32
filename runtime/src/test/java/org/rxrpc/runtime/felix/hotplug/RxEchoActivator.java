package org.rxrpc.runtime.felix.hotplug;

import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.service.RxCallHandler;

/**
 * The activator of a third-party Rx service bundle the hot-plug test builds (DeployFolderTest packs this
 * class file into a jar of its own making): it publishes an {@link RxCallHandler} with the whiteboard's
 * properties, the service id and port of its manifest headers {@value #SERVICE_HEADER} and
 * {@value #PORT_HEADER}; the runtime's serving support and transport serve it. Each call is answered with
 * the bundle's symbolic name and version, then the request. No inner classes: the jar holds this one
 * class file.
 */
public final class RxEchoActivator implements BundleActivator {
    public static final String SERVICE_HEADER = "X-Rx-Service";
    public static final String PORT_HEADER = "X-Rx-Port";

    private ServiceRegistration<RxCallHandler> registration;

    @Override
    public void start(BundleContext context) {
        String who = context.getBundle().getSymbolicName() + " "
                + context.getBundle().getVersion();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(RxEndpoints.SERVICE_ID, Integer.valueOf(header(context, SERVICE_HEADER)));
        properties.put(RxEndpoints.PORT, Integer.valueOf(header(context, PORT_HEADER)));
        properties.put(RxEndpoints.MAX_LIVE_CALLS, 2);
        byte[] prefix = (who + ": ").getBytes(StandardCharsets.UTF_8);
        registration = context.registerService(
                RxCallHandler.class,
                call -> {
                    byte[] request = call.receiveMessage(1024, 10, TimeUnit.SECONDS);
                    call.send(prefix, 0, prefix.length, false);
                    call.send(request, 0, request.length, true);
                },
                properties);
    }

    private static String header(BundleContext context, String name) {
        return context.getBundle().getHeaders().get(name).trim();
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
