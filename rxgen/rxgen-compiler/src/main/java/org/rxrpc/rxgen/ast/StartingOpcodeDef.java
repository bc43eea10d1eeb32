package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code startingopcode N}: procedures without {@code = N} are numbered from N. */
public record StartingOpcodeDef(String name, int opcode, Location location, String doc) implements Definition {}
