package org.rxrpc.rxgen.java;

import java.util.Set;

/** How .xg names become Java names. */
final class JavaNames {
    private JavaNames() {}

    private static final Set<String> KEYWORDS = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "var",
            "record",
            "yield",
            "sealed",
            "permits",
            "_");

    /** Simple names generated code uses unqualified: a type of the same name gets a suffix. */
    private static final Set<String> TAKEN_TYPES = Set.of(
            "Object",
            "String",
            "Integer",
            "Long",
            "Short",
            "Byte",
            "Boolean",
            "Float",
            "Double",
            "Character",
            "Math",
            "System",
            "Record",
            "Enum",
            "Class",
            "Void",
            "Override",
            "Exception",
            "RuntimeException",
            "Iterable",
            "Number",
            "Thread",
            "Runnable",
            "List",
            "ArrayList",
            "Collections",
            "UUID",
            "Arrays",
            "Objects",
            "Duration",
            "InetSocketAddress",
            "CallOptions",
            "RxEndpoint",
            "Xdr",
            "XdrEncoder",
            "XdrDecoder",
            "XdrException",
            "RxAbortException",
            "RxgenClient",
            "RxgenDispatcher",
            "ServerCall",
            "SplitCall",
            "ErrorTable",
            "AbortCodes",
            "Deprecated",
            "SuppressWarnings",
            "FunctionalInterface");

    /** Java type name of a struct, union or enum. */
    static String type(String xg) {
        StringBuilder b = new StringBuilder();
        for (String part : xg.split("_+")) {
            if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        if (b.length() == 0 || Character.isDigit(b.charAt(0))) b.insert(0, "X");
        String name = b.toString();
        return TAKEN_TYPES.contains(name) ? name + "Xdr" : name;
    }

    /** A package prefix as a class-name stem: {@code VL_} is {@code Vl}, {@code RXAFSCB_} is {@code Rxafscb}. */
    static String packageBase(String prefix) {
        String stem = prefix.replaceAll("[^A-Za-z0-9]", "");
        if (stem.isEmpty()) stem = "Rx";
        if (stem.equals(stem.toUpperCase()))
            stem = stem.charAt(0) + stem.substring(1).toLowerCase();
        return type(stem);
    }

    /** A stem from a file name: {@code vldbint.xg} is {@code Vldbint}. */
    static String fileBase(String file) {
        String base = file.replaceAll("^.*[/\\\\]", "").replaceAll("\\.[^.]*$", "");
        StringBuilder b = new StringBuilder();
        for (String part : base.split("[^A-Za-z0-9]+")) {
            if (part.isEmpty()) continue;
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        if (b.length() == 0 || Character.isDigit(b.charAt(0))) b.insert(0, "X");
        return b.toString();
    }

    /**
     * A method, field or parameter name: lower camel case ({@code GetCE64} is {@code getCE64},
     * {@code XStatsVersion} is {@code xStatsVersion}, {@code next_vldb} is {@code nextVldb}).
     */
    static String member(String xg) {
        String camel = xg;
        if (xg.indexOf('_') > 0 && !xg.endsWith("_")) {
            StringBuilder b = new StringBuilder();
            boolean upper = false;
            for (char c : xg.toCharArray()) {
                if (c == '_') {
                    upper = b.length() > 0;
                } else {
                    b.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            camel = b.toString();
        }
        int run = 0;
        while (run < camel.length() && Character.isUpperCase(camel.charAt(run))) run++;
        String lower;
        if (run == 0) lower = camel;
        else if (run == camel.length()) lower = camel.toLowerCase();
        else if (run == 1 || !Character.isLowerCase(camel.charAt(run))) {
            lower = camel.substring(0, run).toLowerCase() + camel.substring(run);
        } else {
            lower = camel.substring(0, run - 1).toLowerCase() + camel.substring(run - 1);
        }
        return escape(lower);
    }

    /** Names generated code uses for its own locals get a suffix when a .xg name takes them. */
    static String local(String xg) {
        String m = member(xg);
        if (m.matches("(in|out|call|service|value|result|that|other|h|discriminant)")) return m + "_";
        return m;
    }

    /**
     * A record component: not a name of Object's methods (a record cannot have those), nor {@code in} /
     * {@code out}, the decoder and encoder of the generated methods.
     */
    static String component(String xg) {
        String m = member(xg);
        return OBJECT_METHODS.contains(m) || m.equals("in") || m.equals("out") ? m + "_" : m;
    }

    private static final Set<String> OBJECT_METHODS =
            Set.of("clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait", "equals");

    static String escape(String name) {
        return KEYWORDS.contains(name) ? name + "_" : name;
    }

    /** UPPER_SNAKE for opcode constants: {@code ListAttributesN2} is {@code LIST_ATTRIBUTES_N2}. */
    static String constant(String procName) {
        StringBuilder b = new StringBuilder();
        char[] c = procName.toCharArray();
        for (int i = 0; i < c.length; i++) {
            boolean boundary = i > 0
                    && Character.isUpperCase(c[i])
                    && (Character.isLowerCase(c[i - 1])
                            || Character.isDigit(c[i - 1])
                            || (i + 1 < c.length
                                    && Character.isLowerCase(c[i + 1])
                                    && Character.isUpperCase(c[i - 1])));
            boolean digitStart = i > 0 && Character.isDigit(c[i]) && Character.isLowerCase(c[i - 1]);
            if ((boundary || digitStart) && b.length() > 0 && b.charAt(b.length() - 1) != '_') b.append('_');
            b.append(c[i] == '_' ? '_' : Character.toUpperCase(c[i]));
        }
        String s = b.toString();
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "OP_" + s : s;
    }

    /** A union arm's record name from its case label: {@code VLSF_RWVOL} is {@code VlsfRwvol}. */
    static String armType(String label) {
        StringBuilder b = new StringBuilder();
        for (String part : label.split("[^A-Za-z0-9]+")) {
            if (part.isEmpty()) continue;
            String p = part.equals(part.toUpperCase()) ? part.toLowerCase() : part;
            b.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1));
        }
        if (b.length() == 0 || Character.isDigit(b.charAt(0))) b.insert(0, "Case");
        return type(b.toString());
    }
}
