package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code prefix S}: the C server-stub prefix; recorded, not needed by Java. */
public record PrefixDef(String name, Location location, String doc) implements Definition {}
