package org.rxrpc.rxgen.java;

import java.util.List;
import org.rxrpc.rxgen.model.Model;

/** The constants of one interface file: its {@code const}s and numeric {@code #define}s. */
final class ConstantsWriter {
    private ConstantsWriter() {}

    static String write(String cls, String file, List<Model.Constant> constants) {
        SourceWriter w = new SourceWriter();
        w.javadoc("Constants of " + file.replaceAll("^.*[/\\\\]", "") + ".");
        w.line("public final class " + cls + " {");
        w.line("private " + cls + "() {}");
        for (Model.Constant c : constants) {
            w.blank();
            w.javadoc(c.doc());
            if (c.isString()) w.line("public static final String " + c.name() + " = " + c.literal() + ";");
            else
                w.line("public static final "
                        + declaration(c.value(), c.literal().strip(), c.name()));
        }
        w.line("}");
        return w.toString();
    }

    /** Values up to 2^32-1 stay {@code int} (C's unsigned 32-bit constants), hex as written. */
    private static String declaration(long v, String written, String name) {
        boolean hex = written.matches("-?0[xX][0-9a-fA-F]+");
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return "int " + name + " = " + (hex ? written : Long.toString(v)) + ";";
        }
        if (v > Integer.MAX_VALUE && v <= 0xFFFFFFFFL) {
            return "int " + name + " = 0x" + Long.toHexString(v).toUpperCase() + "; // " + v + " unsigned";
        }
        return "long " + name + " = " + v + "L;";
    }
}
