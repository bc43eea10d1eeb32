package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code splitprefix IN=Start OUT=End;}: the C names of split halves; Java uses start/end regardless. */
public record SplitPrefixDef(String name, String in, String out, Location location, String doc) implements Definition {}
