package org.rxrpc.rxgen.java;

import java.util.function.Function;
import org.rxrpc.rxgen.model.XdrType;

/**
 * Java types and XDR encode/decode code for wire types. Encoders write {@code out}, decoders read
 * {@code in}; loops use locals numbered per method ({@code i0}, {@code n0}, {@code e0} ...).
 */
final class Codecs {
    private final Function<String, String> typeNames;
    private final Function<XdrType.Bound, String> bounds;

    /**
     * @param typeNames the Java name of a struct, union or enum
     * @param bounds Java source for a bound (a constant's reference or a number)
     */
    Codecs(Function<String, String> typeNames, Function<XdrType.Bound, String> bounds) {
        this.typeNames = typeNames;
        this.bounds = bounds;
    }

    String javaType(XdrType t) {
        if (t instanceof XdrType.Primitive p) return primitive(p.kind());
        if (t instanceof XdrType.Named n) return typeNames.apply(n.name());
        if (t instanceof XdrType.Str || t instanceof XdrType.CharVector) return "String";
        if (t instanceof XdrType.Opaque) return "byte[]";
        if (t instanceof XdrType.Optional o) return boxed(o.element());
        XdrType element = element(t);
        if (isPrimitiveArrayElement(element)) return javaType(element) + "[]";
        return "List<" + boxed(element) + ">";
    }

    /** Whether values of {@code t} are Java arrays (records holding them need equals/hashCode written out). */
    boolean isArray(XdrType t) {
        if (t instanceof XdrType.Opaque) return true;
        if (t instanceof XdrType.Vector || t instanceof XdrType.Array) return isPrimitiveArrayElement(element(t));
        return false;
    }

    private static XdrType element(XdrType t) {
        if (t instanceof XdrType.Vector v) return v.element();
        return ((XdrType.Array) t).element();
    }

    private static boolean isPrimitiveArrayElement(XdrType e) {
        return e instanceof XdrType.Primitive p && p.kind() != XdrType.Kind.UUID;
    }

    /** The type as a type argument: primitives boxed. */
    String boxed(XdrType t) {
        if (t instanceof XdrType.Primitive p) {
            return switch (p.kind()) {
                case INT, UINT -> "Integer";
                case HYPER, UHYPER -> "Long";
                case CHAR, UCHAR -> "Byte";
                case SHORT, USHORT -> "Short";
                case BOOL -> "Boolean";
                case FLOAT -> "Float";
                case DOUBLE -> "Double";
                case UUID -> "UUID";
            };
        }
        return javaType(t);
    }

    private static String primitive(XdrType.Kind k) {
        return switch (k) {
            case INT, UINT -> "int";
            case HYPER, UHYPER -> "long";
            case CHAR, UCHAR -> "byte";
            case SHORT, USHORT -> "short";
            case BOOL -> "boolean";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case UUID -> "UUID";
        };
    }

    /** Numbers for the loop locals of one method, so none shares a name with another or with a .xg name. */
    static final class Temps {
        private final java.util.Set<String> taken;
        private int next;

        Temps() {
            this(java.util.Set.of());
        }

        /** @param taken the names already used in the method */
        Temps(java.util.Collection<String> taken) {
            this.taken = java.util.Set.copyOf(taken);
        }

        int next() {
            while (clashes(next)) next++;
            return next++;
        }

        private boolean clashes(int k) {
            for (String prefix : new String[] {"i", "n", "e", "v", "list"}) {
                if (taken.contains(prefix + k)) return true;
            }
            return false;
        }
    }

    /** Statements writing {@code value} (a Java expression, evaluated once per use) as {@code t}. */
    String encode(XdrType t, String value, Temps temps) {
        if (t instanceof XdrType.Primitive p) return "out." + primitiveWrite(p.kind(), value) + ";";
        if (t instanceof XdrType.Named) return value + ".encode(out);";
        if (t instanceof XdrType.Str s) return "out.writeString(" + value + ", " + bounds.apply(s.max()) + ");";
        if (t instanceof XdrType.CharVector c)
            return "out.writeCharVector(" + value + ", " + bounds.apply(c.n()) + ");";
        if (t instanceof XdrType.Opaque o) {
            return (o.fixed() ? "out.writeFixedOpaque(" : "out.writeOpaque(") + value + ", " + bounds.apply(o.size())
                    + ");";
        }
        if (t instanceof XdrType.Optional o) {
            return "out.writeBoolean(" + value + " != null);\nif (" + value + " != null) {\n"
                    + encode(o.element(), value, temps) + "\n}";
        }
        XdrType element = element(t);
        String length = isPrimitiveArrayElement(element) ? value + ".length" : value + ".size()";
        String head = t instanceof XdrType.Vector v
                ? "XdrEncoder.checkLength(" + length + ", " + bounds.apply(v.n()) + ");"
                : "out.writeCount(" + length + ", " + bounds.apply(((XdrType.Array) t).max()) + ");";
        String e = "e" + temps.next();
        return head + "\nfor (" + javaType(element) + " " + e + " : " + value + ") {\n" + encode(element, e, temps)
                + "\n}";
    }

    private static String primitiveWrite(XdrType.Kind k, String v) {
        return switch (k) {
            case INT, UINT, CHAR, SHORT -> "writeInt(" + v + ")"; // char and short: sign-extended, as xdr_char
            case UCHAR -> "writeInt(" + v + " & 0xFF)";
            case USHORT -> "writeInt(" + v + " & 0xFFFF)";
            case HYPER, UHYPER -> "writeLong(" + v + ")";
            case BOOL -> "writeBoolean(" + v + ")";
            case FLOAT -> "writeFloat(" + v + ")";
            case DOUBLE -> "writeDouble(" + v + ")";
            case UUID -> "writeUuid(" + v + ")";
        };
    }

    /** A Java expression reading {@code t}, or null when it takes statements (arrays, optional arrays). */
    String decodeExpression(XdrType t) {
        if (t instanceof XdrType.Primitive p) {
            return switch (p.kind()) {
                case INT, UINT -> "in.readInt()";
                case HYPER, UHYPER -> "in.readLong()";
                case CHAR, UCHAR -> "(byte) in.readInt()";
                case SHORT, USHORT -> "(short) in.readInt()";
                case BOOL -> "in.readBoolean()";
                case FLOAT -> "in.readFloat()";
                case DOUBLE -> "in.readDouble()";
                case UUID -> "in.readUuid()";
            };
        }
        if (t instanceof XdrType.Named n) return typeNames.apply(n.name()) + ".decode(in)";
        if (t instanceof XdrType.Str s) return "in.readString(" + bounds.apply(s.max()) + ")";
        if (t instanceof XdrType.CharVector c) return "in.readCharVector(" + bounds.apply(c.n()) + ")";
        if (t instanceof XdrType.Opaque o) {
            return (o.fixed() ? "in.readFixedOpaque(" : "in.readOpaque(") + bounds.apply(o.size()) + ")";
        }
        if (t instanceof XdrType.Optional o) {
            // A named type may refer to itself through its optional (a linked list): the runtime bounds the
            // nesting, so a long chain from a peer is refused instead of overflowing the stack.
            if (o.element() instanceof XdrType.Named n)
                return "in.readOptional(" + typeNames.apply(n.name()) + "::decode)";
            String inner = decodeExpression(o.element());
            if (inner == null) return null;
            return "in.readBoolean() ? " + inner + " : null";
        }
        return null;
    }

    /** Statements declaring {@code target} and reading {@code t} into it. */
    String decode(XdrType t, String target, Temps temps) {
        String type = javaType(t);
        String expr = decodeExpression(t);
        if (expr != null) return type + " " + target + " = " + expr + ";";
        if (t instanceof XdrType.Optional o) {
            String tmp = "v" + temps.next();
            return type + " " + target + " = null;\nif (in.readBoolean()) {\n" + decode(o.element(), tmp, temps) + "\n"
                    + target + " = " + tmp + ";\n}";
        }
        XdrType element = element(t);
        int depth = temps.next();
        String i = "i" + depth;
        String n = "n" + depth;
        String e = "e" + depth;
        String read = decodeExpression(element);
        String readElement = read != null ? null : decode(element, e, temps);
        String value = read != null ? read : e;
        StringBuilder b = new StringBuilder();
        if (t instanceof XdrType.Vector v) {
            String count = bounds.apply(v.n());
            if (isPrimitiveArrayElement(element)) {
                b.append(type)
                        .append(' ')
                        .append(target)
                        .append(" = new ")
                        .append(javaType(element))
                        .append('[')
                        .append(count)
                        .append("];\n");
                b.append("for (int ")
                        .append(i)
                        .append(" = 0; ")
                        .append(i)
                        .append(" < ")
                        .append(target)
                        .append(".length; ")
                        .append(i)
                        .append("++) {\n");
                if (readElement != null) b.append(readElement).append('\n');
                b.append(target)
                        .append('[')
                        .append(i)
                        .append("] = ")
                        .append(value)
                        .append(";\n}");
            } else {
                String list = "list" + depth;
                b.append(type)
                        .append(' ')
                        .append(list)
                        .append(" = new ArrayList<>(")
                        .append(count)
                        .append(");\n");
                b.append("for (int ")
                        .append(i)
                        .append(" = 0; ")
                        .append(i)
                        .append(" < ")
                        .append(count)
                        .append("; ")
                        .append(i)
                        .append("++) {\n");
                if (readElement != null) b.append(readElement).append('\n');
                b.append(list).append(".add(").append(value).append(");\n}\n");
                b.append(type)
                        .append(' ')
                        .append(target)
                        .append(" = Collections.unmodifiableList(")
                        .append(list)
                        .append(");");
            }
            return b.toString();
        }
        String max = bounds.apply(((XdrType.Array) t).max());
        b.append("int ").append(n).append(" = in.readCount(").append(max).append(");\n");
        if (isPrimitiveArrayElement(element)) {
            // allocated as the elements arrive: a count near an unbounded limit costs only what is sent
            b.append(type)
                    .append(' ')
                    .append(target)
                    .append(" = new ")
                    .append(javaType(element))
                    .append("[Xdr.initialCapacity(")
                    .append(n)
                    .append(")];\n");
            b.append("for (int ")
                    .append(i)
                    .append(" = 0; ")
                    .append(i)
                    .append(" < ")
                    .append(n)
                    .append("; ")
                    .append(i)
                    .append("++) {\n");
            b.append("if (")
                    .append(i)
                    .append(" == ")
                    .append(target)
                    .append(".length) ")
                    .append(target)
                    .append(" = Xdr.grow(")
                    .append(target)
                    .append(", ")
                    .append(n)
                    .append(");\n");
            if (readElement != null) b.append(readElement).append('\n');
            b.append(target).append('[').append(i).append("] = ").append(value).append(";\n}");
        } else {
            String list = "list" + depth;
            b.append(type)
                    .append(' ')
                    .append(list)
                    .append(" = new ArrayList<>(Xdr.initialCapacity(")
                    .append(n)
                    .append("));\n");
            b.append("for (int ")
                    .append(i)
                    .append(" = 0; ")
                    .append(i)
                    .append(" < ")
                    .append(n)
                    .append("; ")
                    .append(i)
                    .append("++) {\n");
            if (readElement != null) b.append(readElement).append('\n');
            b.append(list).append(".add(").append(value).append(");\n}\n");
            b.append(type)
                    .append(' ')
                    .append(target)
                    .append(" = Collections.unmodifiableList(")
                    .append(list)
                    .append(");");
        }
        return b.toString();
    }
}
