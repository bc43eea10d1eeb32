package org.rxrpc.rxgen.ast;

import java.util.List;
import org.rxrpc.rxgen.Location;

/**
 * {@code union name switch (discriminant) { case A: decl; ... default: decl; };}. An arm may be {@code void}.
 *
 * @param defaultArm the {@code default:} arm, or null
 */
public record UnionDef(String name, Decl discriminant, List<Arm> arms, Decl defaultArm, Location location, String doc)
        implements Definition {
    /** {@code case label: decl;}; consecutive labels sharing one declaration each get an arm. */
    public record Arm(String label, Decl decl, Location location) {}
}
