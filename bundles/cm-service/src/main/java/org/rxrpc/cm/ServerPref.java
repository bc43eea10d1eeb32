package org.rxrpc.cm;

import java.net.Inet4Address;
import java.util.Objects;

/** A file server preference (GetServerPrefs). */
public record ServerPref(Inet4Address address, int rank) {
    public ServerPref {
        Objects.requireNonNull(address, "address");
    }
}
