package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code package PREFIX}: the procedures that follow form one Rx interface. */
public record PackageDef(String name, Location location, String doc) implements Definition {}
