package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code typedef decl;}: the declaration's name is the new type's name. */
public record TypedefDef(Decl decl, Location location, String doc) implements Definition {
    @Override
    public String name() {
        return decl.name();
    }
}
