package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/**
 * A declaration: {@code [struct|enum|union] type [*] name [[N] | <N> | <>]}.
 *
 * @param type the type name as written, with rxgen's spellings normalised ({@code unsigned} is
 *     {@code u_int}, {@code unsigned short} is {@code u_short}, {@code short int} is {@code short} ...)
 * @param bound the array bound as written (a number or a constant), or null for {@code <>}, or for no array
 * @param doc comments written with the declaration, or ""
 */
public record Decl(String type, String name, Relation relation, String bound, Location location, String doc) {
    public boolean isVoid() {
        return type.equals("void");
    }
}
