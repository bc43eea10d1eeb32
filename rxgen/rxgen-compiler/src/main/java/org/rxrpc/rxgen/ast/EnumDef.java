package org.rxrpc.rxgen.ast;

import java.util.List;
import org.rxrpc.rxgen.Location;

/** {@code enum name { A = 1, B, ... };}. */
public record EnumDef(String name, List<Value> values, Location location, String doc) implements Definition {
    /** One member; {@code assignment} is null when the value follows the previous one. */
    public record Value(String name, String assignment, Location location, String doc) {}
}
