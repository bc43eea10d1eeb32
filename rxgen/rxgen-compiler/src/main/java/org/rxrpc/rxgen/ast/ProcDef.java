package org.rxrpc.rxgen.ast;

import java.util.List;
import org.rxrpc.rxgen.Location;

/**
 * A remote procedure: {@code [proc] Name [ServerStub] (params) [split | multi] [= opcode];}.
 *
 * @param packagePrefix the {@code package} in force (for example {@code VL_})
 * @param opcode the opcode as written (a number or a constant's name), or null for the next free one
 */
public record ProcDef(
        String name,
        String packagePrefix,
        String serverStub,
        List<Param> params,
        boolean split,
        boolean multi,
        String opcode,
        Location location,
        String doc)
        implements Definition {
    /** One parameter; {@code *} on a parameter means by reference, not optional data. */
    public record Param(Direction direction, Decl decl) {}
}
