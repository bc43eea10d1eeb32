package org.rxrpc.cm;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/** A cell the cache manager knows: its number (as in {@link CacheEntry#cell()}), name and up to 8 servers. */
public record Cell(int number, String name, List<Inet4Address> servers) {
    public static final int MAX_SERVERS = 8;

    public Cell {
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
        if (servers.size() > MAX_SERVERS) throw new IllegalArgumentException("at most 8 servers");
    }
}
