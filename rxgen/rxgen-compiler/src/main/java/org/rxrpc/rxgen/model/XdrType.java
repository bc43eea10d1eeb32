package org.rxrpc.rxgen.model;

/**
 * What a declaration is on the wire, with typedefs resolved: the generator maps each to a Java type and
 * its encode/decode code.
 */
public sealed interface XdrType {
    /** A value of one or two 4-byte units (afsUUID: eleven). */
    record Primitive(Kind kind) implements XdrType {}

    /** A struct, union or enum definition, by its .xg name. */
    record Named(String name, NamedKind kind) implements XdrType {}

    /** {@code string<max>}; max -1 = unbounded ({@code <>}). */
    record Str(Bound max) implements XdrType {}

    /** {@code char name[n]}: n units, read and written as a NUL-terminated string of at most n bytes. */
    record CharVector(Bound n) implements XdrType {}

    /** {@code opaque[n]} (fixed) or {@code opaque<max>} (counted; max -1 = unbounded). */
    record Opaque(boolean fixed, Bound size) implements XdrType {}

    /** {@code T name[n]}: exactly n elements, no count. */
    record Vector(XdrType element, Bound n) implements XdrType {}

    /** {@code T name<max>}: a count then at most max elements (-1 = unbounded). */
    record Array(XdrType element, Bound max) implements XdrType {}

    /**
     * An array size or bound: its value, and the constant it was written as (null for a number or
     * {@code <>}).
     */
    record Bound(long value, String constant) {
        public static final Bound UNBOUNDED = new Bound(-1, null);
    }

    /** {@code T *name} in a struct, union or typedef: a bool, then the value when true. */
    record Optional(XdrType element) implements XdrType {}

    enum NamedKind {
        STRUCT,
        UNION,
        ENUM
    }

    /** The primitive XDR types rxgen knows, and the OpenAFS type names spelling them. */
    enum Kind {
        INT,
        UINT,
        HYPER,
        UHYPER,
        CHAR,
        UCHAR,
        SHORT,
        USHORT,
        BOOL,
        FLOAT,
        DOUBLE,
        UUID;

        /** The primitive a type name spells, or null. */
        public static Kind of(String typeName) {
            return switch (typeName) {
                case "int", "afs_int32", "long" -> INT; // xdr_long is one unit too
                case "u_int", "afs_uint32", "u_long" -> UINT;
                case "afs_int64", "afs_time64" -> HYPER; // struct afs_time64 is one afs_int64 (ticks)
                case "afs_uint64" -> UHYPER;
                case "char" -> CHAR;
                case "u_char" -> UCHAR;
                case "short" -> SHORT;
                case "u_short" -> USHORT;
                case "bool" -> BOOL;
                case "float" -> FLOAT;
                case "double" -> DOUBLE;
                case "afsUUID" -> UUID;
                default -> null;
            };
        }
    }
}
