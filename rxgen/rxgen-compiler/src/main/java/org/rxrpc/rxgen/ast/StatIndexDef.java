package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code statindex N}: the package's Rx statistics index (rxgen defines {@code <package>STATINDEX}). */
public record StatIndexDef(String name, int index, String packagePrefix, Location location, String doc)
        implements Definition {}
