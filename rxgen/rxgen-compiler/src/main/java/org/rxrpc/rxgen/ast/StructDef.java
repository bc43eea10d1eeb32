package org.rxrpc.rxgen.ast;

import java.util.List;
import org.rxrpc.rxgen.Location;

/** {@code struct name { members };} (also {@code customized struct}). */
public record StructDef(String name, List<Decl> members, Location location, String doc) implements Definition {}
