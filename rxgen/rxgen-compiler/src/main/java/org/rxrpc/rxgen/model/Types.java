package org.rxrpc.rxgen.model;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.ast.Decl;
import org.rxrpc.rxgen.ast.Definition;
import org.rxrpc.rxgen.ast.EnumDef;
import org.rxrpc.rxgen.ast.StructDef;
import org.rxrpc.rxgen.ast.TypedefDef;
import org.rxrpc.rxgen.ast.UnionDef;

/** Resolves declarations to wire types, following typedefs (rxgen's rules of rpc_cout.c). */
final class Types {
    /** Unsigned 32-bit: the largest count XDR can carry. */
    static final long MAX_COUNT = 0xFFFFFFFFL;

    private final Map<String, Definition> types;
    private final ToLongFunction<String> values;

    Types(Map<String, Definition> types, ToLongFunction<String> values) {
        this.types = types;
        this.values = values;
    }

    XdrType of(Decl d, boolean parameter) {
        return of(d, parameter, new HashSet<>());
    }

    private XdrType of(Decl d, boolean parameter, Set<String> following) {
        switch (d.relation()) {
            case VECTOR -> {
                XdrType.Bound n = bound(d);
                if (d.type().equals("char")) return new XdrType.CharVector(n);
                if (d.type().equals("opaque")) return new XdrType.Opaque(true, n);
                return new XdrType.Vector(base(d, following), n);
            }
            case ARRAY -> {
                XdrType.Bound max = d.bound() == null ? XdrType.Bound.UNBOUNDED : bound(d);
                if (d.type().equals("string")) return new XdrType.Str(max);
                if (d.type().equals("opaque")) return new XdrType.Opaque(false, max);
                return new XdrType.Array(base(d, following), max);
            }
            case POINTER -> {
                XdrType base = base(d, following);
                return parameter ? base : new XdrType.Optional(base);
            }
            default -> {
                return base(d, following);
            }
        }
    }

    private XdrType.Bound bound(Decl d) {
        long n;
        try {
            n = values.applyAsLong(d.bound());
        } catch (IllegalStateException e) {
            throw new CompileException(d.location(), "array size " + d.bound() + " is not a known constant");
        }
        if (n < 0 || n > MAX_COUNT) throw new CompileException(d.location(), "array size " + n + " out of range");
        return new XdrType.Bound(n, Numbers.parse(d.bound()) == null ? d.bound() : null);
    }

    /** The element type named by {@code d.type()}. */
    private XdrType base(Decl d, Set<String> following) {
        String t = d.type();
        XdrType.Kind kind = XdrType.Kind.of(t);
        if (kind != null) return new XdrType.Primitive(kind);
        if (t.equals("string") || t.equals("opaque")) {
            throw new CompileException(d.location(), t + " needs an array declaration");
        }
        Definition def = types.get(t);
        if (def == null) throw new CompileException(d.location(), "undefined type " + t);
        if (def instanceof StructDef) return new XdrType.Named(t, XdrType.NamedKind.STRUCT);
        if (def instanceof UnionDef) return new XdrType.Named(t, XdrType.NamedKind.UNION);
        if (def instanceof EnumDef) return new XdrType.Named(t, XdrType.NamedKind.ENUM);
        TypedefDef typedef = (TypedefDef) def;
        if (!following.add(t)) throw new CompileException(d.location(), "typedef " + t + " refers to itself");
        try {
            return of(typedef.decl(), false, following);
        } finally {
            following.remove(t);
        }
    }
}
