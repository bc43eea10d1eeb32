package org.rxrpc.rxkad.osgi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.rxrpc.rxkad.OpenAfsKeyFolder;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.rxkad.ServerKeySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server keys from Config Admin, PID {@code org.rxrpc.rxkad}, registered as a {@link ServerKeySource}
 * service: {@code configFolder} names an OpenAFS server configuration folder (its KeyFile, KeyFileExt and
 * rxkad.keytab, reread on change every {@code reloadSeconds}, default 5), and/or {@code key.<kvno>} (16
 * hex digits) and {@code krb5key.<kvno>.<enctype>} (hex) give keys directly. A configuration update
 * replaces the keys at once. Only kvnos and types are logged, never a key.
 */
@Component(
        configurationPid = "org.rxrpc.rxkad",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ServerKeySource.class)
public final class RxkadKeysComponent implements ServerKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(RxkadKeysComponent.class);

    private volatile ServerKeyRing fixed = ServerKeyRing.EMPTY;
    private volatile OpenAfsKeyFolder folder;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) throws IOException {
        ServerKeyRing fromProperties = ServerKeyRing.fromProperties(properties);
        Object dir = properties.get("configFolder");
        OpenAfsKeyFolder previous = folder;
        OpenAfsKeyFolder next = null;
        if (dir != null && !String.valueOf(dir).isBlank()) {
            long seconds = Long.parseLong(String.valueOf(properties.getOrDefault("reloadSeconds", "5")));
            next = OpenAfsKeyFolder.watch(Path.of(String.valueOf(dir)), Duration.ofSeconds(Math.max(1, seconds)));
        }
        fixed = fromProperties;
        folder = next;
        if (previous != null) previous.close();
        LOG.info("rxkad keys configured: {}{}", fromProperties, next != null ? " and folder " + next.folder() : "");
    }

    @Deactivate
    void deactivate() {
        OpenAfsKeyFolder f = folder;
        folder = null;
        if (f != null) f.close();
    }

    /** The folder's keys and the configured ones together (no I/O; merged again only after a change). */
    @Override
    public ServerKeyRing keys() {
        OpenAfsKeyFolder f = folder;
        ServerKeyRing own = fixed;
        if (f == null) return own;
        ServerKeyRing fromFolder = f.keys();
        if (own.isEmpty()) return fromFolder;
        Merged m = merged;
        if (m == null || m.fromFolder != fromFolder || m.own != own) {
            List<ServerKey> all = new ArrayList<>(fromFolder.all());
            all.addAll(own.all());
            m = new Merged(fromFolder, own, new ServerKeyRing(all));
            merged = m;
        }
        return m.ring;
    }

    private volatile Merged merged;

    private static final class Merged {
        final ServerKeyRing fromFolder;
        final ServerKeyRing own;
        final ServerKeyRing ring;

        Merged(ServerKeyRing fromFolder, ServerKeyRing own, ServerKeyRing ring) {
            this.fromFolder = fromFolder;
            this.own = own;
            this.ring = ring;
        }
    }

    @Override
    public String toString() {
        return "RxkadKeysComponent[" + keys() + "]";
    }
}
