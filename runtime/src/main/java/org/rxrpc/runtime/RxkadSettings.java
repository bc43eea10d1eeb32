package org.rxrpc.runtime;

import java.io.IOException;
import java.nio.file.Path;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.OpenAfsKeyFolder;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;

/**
 * The rxkad options of {@code serve} and {@code rxperf}: the keys of an OpenAFS server configuration folder
 * (KeyFile, KeyFileExt, rxkad.keytab) and a level, as the C peers' {@code -k DIR -S LEVEL} take them.
 */
final class RxkadSettings {
    private RxkadSettings() {}

    /** "clear", "auth" or "crypt" (or 0, 1, 2) as a level. */
    static int level(String name) {
        for (int level = SecurityLevels.CLEAR; level <= SecurityLevels.CRYPT; level++) {
            if (SecurityLevels.name(level).equals(name)
                    || Integer.toString(level).equals(name)) return level;
        }
        throw new IllegalArgumentException("level must be clear, auth or crypt, not '" + name + "'");
    }

    /** rxkad alone (no null class), at {@code minimumLevel} or above, with the folder's keys reread on change. */
    static ServiceSecurity server(Path folder, int minimumLevel) throws IOException {
        OpenAfsKeyFolder keys = OpenAfsKeyFolder.watch(folder, java.time.Duration.ofSeconds(5));
        if (keys.keys().isEmpty()) {
            keys.close();
            throw new IOException("no rxkad key in " + folder);
        }
        return ServiceSecurity.of(
                minimumLevel, RxkadServerSecurity.builder(keys).build());
    }

    /** rxkad at {@code level} with a token minted from the folder's newest DES key, as -localauth does. */
    static ClientSecurity client(Path folder, int level) throws IOException {
        ServerKeyRing keys;
        try (OpenAfsKeyFolder f = OpenAfsKeyFolder.open(folder)) {
            keys = f.keys();
        }
        if (keys.latestDes() == null) throw new IOException("no rxkad DES key in " + folder + "/KeyFile");
        return new RxkadClientSecurity(LocalAuth.mint(keys, System.currentTimeMillis() / 1000), level);
    }
}
