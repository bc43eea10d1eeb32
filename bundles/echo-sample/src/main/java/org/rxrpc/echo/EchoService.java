package org.rxrpc.echo;

import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.rxrpc.api.RxCall;
import org.rxrpc.service.RxCallHandler;

/** Rx service 2000 on UDP 7100: replies with the request. Settings (rxrpc.port...): PID org.rxrpc.echo. */
@Component(
        configurationPid = "org.rxrpc.echo",
        property = {"rxrpc.service.id:Integer=2000", "rxrpc.port:Integer=7100", "rxrpc.maxLiveCalls:Integer=16"})
public final class EchoService implements RxCallHandler {
    @Override
    public void handle(RxCall call) throws Exception {
        byte[] request = call.receiveMessage(64 * 1024, 30, TimeUnit.SECONDS);
        call.send(request, 0, request.length, true);
    }
}
