package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** One top-level definition of an interface file, in source order. */
public sealed interface Definition
        permits ConstDef,
                EnumDef,
                StructDef,
                UnionDef,
                TypedefDef,
                ProcDef,
                PackageDef,
                PrefixDef,
                StatIndexDef,
                StartingOpcodeDef,
                SplitPrefixDef {
    String name();

    Location location();

    /** Comments written just before the definition, or "". */
    String doc();
}
