package org.rxrpc.rxkad.osgi;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKeySource;
import org.rxrpc.security.ServerConnectionSecurity;
import org.rxrpc.security.ServerSecurity;

/**
 * rxkad for services on the transport's whiteboard: a {@link ServerSecurity} service with
 * {@code rxrpc.securityIndex=2}, over the server keys of {@link RxkadKeysComponent} (so it exists once PID
 * {@code org.rxrpc.rxkad} is configured). Its own minimum is clear: each service sets its minimum level
 * ({@code rxrpc.minimumLevel}). Keys rotate underneath it without a restart.
 */
@Component(service = ServerSecurity.class, property = "rxrpc.securityIndex:Integer=2")
public final class RxkadSecurityComponent implements ServerSecurity {
    private final RxkadServerSecurity rxkad;

    @Activate
    public RxkadSecurityComponent(@Reference ServerKeySource keys) {
        this.rxkad = RxkadServerSecurity.builder(keys).build();
    }

    @Override
    public int index() {
        return rxkad.index();
    }

    @Override
    public String name() {
        return rxkad.name();
    }

    @Override
    public int minimumLevel() {
        return rxkad.minimumLevel();
    }

    @Override
    public boolean requiresChallenge() {
        return rxkad.requiresChallenge();
    }

    @Override
    public ServerConnectionSecurity newConnectionState() {
        return rxkad.newConnectionState();
    }

    @Override
    public String toString() {
        return "RxkadSecurityComponent[" + rxkad + "]";
    }
}
