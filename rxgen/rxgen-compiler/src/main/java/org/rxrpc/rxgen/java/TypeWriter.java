package org.rxrpc.rxgen.java;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rxrpc.rxgen.ast.Decl;
import org.rxrpc.rxgen.ast.EnumDef;
import org.rxrpc.rxgen.ast.StructDef;
import org.rxrpc.rxgen.ast.UnionDef;
import org.rxrpc.rxgen.model.XdrType;

/** Structs as records, unions as sealed interfaces of records, enums as enums; each with encode and decode. */
final class TypeWriter {
    private final JavaGenerator g;

    TypeWriter(JavaGenerator g) {
        this.g = g;
    }

    /** A member's Java name and wire type. */
    private record Field(String name, XdrType type, String doc) {}

    private List<Field> fields(List<Decl> decls) {
        List<Field> fields = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Decl d : decls) {
            String name = JavaNames.component(d.name());
            if (!used.add(name)) name = JavaNames.escape(d.name()) + "_";
            fields.add(new Field(name, g.model().wireType(d, false), d.doc()));
        }
        return fields;
    }

    String struct(StructDef s) {
        String cls = g.typeName(s.name());
        List<Field> fields = fields(s.members());
        SourceWriter w = new SourceWriter();
        w.javadoc(recordDoc(s.doc(), "struct " + s.name(), fields));
        w.wrapped("public record " + cls, components(fields), " {");
        w.javadoc("Writes this value as XDR.");
        w.line("public void encode(XdrEncoder out) {");
        List<String> fieldNames = fields.stream().map(Field::name).toList();
        Codecs.Temps temps = new Codecs.Temps(fieldNames);
        for (Field f : fields) w.lines(g.codecs.encode(f.type(), f.name(), temps));
        w.line("}");
        w.blank();
        w.javadoc("Reads a value; XdrException if the data is short or a count is over its bound.");
        w.line("public static " + cls + " decode(XdrDecoder in) {");
        List<String> names = new ArrayList<>();
        Codecs.Temps decodeTemps = new Codecs.Temps(fieldNames);
        for (Field f : fields) {
            w.lines(g.codecs.decode(f.type(), f.name(), decodeTemps));
            names.add(f.name());
        }
        w.line("return new " + cls + "(" + String.join(", ", names) + ");");
        w.line("}");
        writeArrayAwareMethods(w, cls, fields);
        w.line("}");
        return w.toString();
    }

    private List<String> components(List<Field> fields) {
        List<String> parts = new ArrayList<>();
        for (Field f : fields) parts.add(g.codecs.javaType(f.type()) + " " + f.name());
        return parts;
    }

    private static String recordDoc(String doc, String what, List<Field> fields) {
        StringBuilder b = new StringBuilder(doc.isBlank() ? "XDR " + what + "." : doc);
        boolean params = false;
        for (Field f : fields) {
            if (f.doc().isBlank()) continue;
            if (!params) b.append('\n');
            params = true;
            b.append("\n@param ").append(f.name()).append(' ').append(f.doc().replace('\n', ' '));
        }
        return b.toString();
    }

    /** Records holding Java arrays compare, hash and print them by content. */
    private void writeArrayAwareMethods(SourceWriter w, String cls, List<Field> fields) {
        boolean arrays = fields.stream().anyMatch(f -> g.codecs.isArray(f.type()));
        if (!arrays) return;
        List<String> eq = new ArrayList<>();
        List<String> hash = new ArrayList<>();
        List<String> str = new ArrayList<>();
        for (Field f : fields) {
            boolean array = g.codecs.isArray(f.type());
            String n = f.name();
            // "this." everywhere: a member may be named like the locals here (other, that, h)
            String mine = "this." + n;
            eq.add((array ? "Arrays" : "Objects") + ".equals(" + mine + ", that." + n + ")");
            hash.add((array ? "Arrays" : "Objects") + ".hashCode(" + mine + ")");
            str.add("\"" + n + "=\" + " + (array ? "Arrays.toString(" + mine + ")" : mine));
        }
        w.blank();
        w.line("@Override");
        w.line("public boolean equals(Object other) {");
        w.line("if (this == other) return true;");
        w.line("if (!(other instanceof " + cls + " that)) return false;");
        w.line("return " + String.join("\n        && ", eq) + ";");
        w.line("}");
        w.blank();
        w.line("@Override");
        w.line("public int hashCode() {");
        w.line("int h = 0;");
        for (String h : hash) w.line("h = 31 * h + " + h + ";");
        w.line("return h;");
        w.line("}");
        w.blank();
        w.line("@Override");
        w.line("public String toString() {");
        w.line("return \"" + cls + "[\" + " + String.join(" + \", \" + ", str) + " + \"]\";");
        w.line("}");
    }

    String enumeration(EnumDef e) {
        String cls = g.typeName(e.name());
        SourceWriter w = new SourceWriter();
        w.javadoc(e.doc().isBlank() ? "XDR enum " + e.name() + "." : e.doc());
        w.line("public enum " + cls + " {");
        Map<Long, String> byValue = new LinkedHashMap<>();
        for (int i = 0; i < e.values().size(); i++) {
            EnumDef.Value v = e.values().get(i);
            long value = g.model().value(v.name());
            byValue.putIfAbsent(value, v.name());
            w.javadoc(v.doc());
            w.line(v.name() + "(" + value + ")" + (i == e.values().size() - 1 ? ";" : ","));
        }
        w.blank();
        w.line("private final int value;");
        w.blank();
        w.line(cls + "(int value) {");
        w.line("this.value = value;");
        w.line("}");
        w.blank();
        w.javadoc("The value on the wire.");
        w.line("public int value() {");
        w.line("return value;");
        w.line("}");
        w.blank();
        w.javadoc("The member with this wire value; XdrException if there is none.");
        w.line("public static " + cls + " of(int value) {");
        w.line("switch (value) {");
        byValue.forEach((v, name) -> {
            w.line("case " + v + ":");
            w.line("    return " + name + ";");
        });
        w.line("default:");
        w.line("    throw new XdrException(\"no " + e.name() + " has the value \" + value);");
        w.line("}");
        w.line("}");
        w.blank();
        w.line("public void encode(XdrEncoder out) {");
        w.line("out.writeInt(value);");
        w.line("}");
        w.blank();
        w.line("public static " + cls + " decode(XdrDecoder in) {");
        w.line("return of(in.readInt());");
        w.line("}");
        w.line("}");
        return w.toString();
    }

    String union(UnionDef u) {
        String cls = g.typeName(u.name());
        SourceWriter w = new SourceWriter();
        List<String> arms = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (UnionDef.Arm arm : u.arms()) {
            String name = JavaNames.armType(arm.label());
            while (!used.add(name) || name.equals(cls)) name = name + "Arm";
            arms.add(name);
        }
        String defaultArm = null;
        if (u.defaultArm() != null) {
            defaultArm = "Default";
            while (!used.add(defaultArm) || defaultArm.equals(cls)) defaultArm = defaultArm + "Arm";
        }
        List<String> permits = new ArrayList<>();
        for (String a : arms) permits.add(cls + "." + a);
        if (defaultArm != null) permits.add(cls + "." + defaultArm);
        w.javadoc((u.doc().isBlank() ? "XDR union " + u.name() + "." : u.doc())
                + "\nOne record per arm; discriminant() is the value switched on.");
        w.line("public sealed interface " + cls + " permits " + String.join(", ", permits) + " {");
        w.javadoc("The value of " + JavaNames.member(u.discriminant().name()) + " that selects this arm.");
        w.line("int discriminant();");
        w.blank();
        w.javadoc("Writes the discriminant, then the arm's value.");
        w.line("void encode(XdrEncoder out);");
        w.blank();
        w.javadoc("Reads a value; XdrException for a discriminant with no arm.");
        w.line("static " + cls + " decode(XdrDecoder in) {");
        w.line("int discriminant = in.readInt();");
        w.line("switch (discriminant) {");
        for (int i = 0; i < u.arms().size(); i++) {
            UnionDef.Arm arm = u.arms().get(i);
            w.line("case " + g.model().value(arm.label()) + ": {");
            w.lines(decodeArm(arm.decl(), cls + "." + arms.get(i), null));
            w.line("}");
        }
        w.line("default: {");
        if (defaultArm == null) {
            w.line("throw new XdrException(\"no arm of " + u.name() + " for \" + discriminant);");
        } else {
            w.lines(decodeArm(u.defaultArm(), cls + "." + defaultArm, "discriminant"));
        }
        w.line("}");
        w.line("}");
        w.line("}");
        for (int i = 0; i < u.arms().size(); i++) {
            UnionDef.Arm arm = u.arms().get(i);
            w.blank();
            armRecord(
                    w,
                    cls,
                    arms.get(i),
                    arm.decl(),
                    Long.toString(g.model().value(arm.label())),
                    "case " + arm.label());
        }
        if (defaultArm != null) {
            w.blank();
            armRecord(w, cls, defaultArm, u.defaultArm(), null, "default");
        }
        w.line("}");
        return w.toString();
    }

    private String decodeArm(Decl d, String record, String discriminant) {
        String args = discriminant == null ? "" : discriminant;
        if (d.isVoid()) return "return new " + record + "(" + args + ");";
        XdrType t = g.model().wireType(d, false);
        String value = "value";
        return g.codecs.decode(t, value, new Codecs.Temps()) + "\nreturn new " + record + "("
                + (args.isEmpty() ? "" : args + ", ") + value + ");";
    }

    private void armRecord(SourceWriter w, String cls, String name, Decl d, String discriminantValue, String what) {
        List<String> components = new ArrayList<>();
        if (discriminantValue == null) components.add("int discriminant");
        XdrType t = d.isVoid() ? null : g.model().wireType(d, false);
        if (t != null) components.add(g.codecs.javaType(t) + " value");
        String doc = "The " + what + " arm" + (d.isVoid() ? " (no value)." : ": " + d.name() + ".");
        if (!d.doc().isBlank()) doc += "\n" + d.doc();
        w.javadoc(doc);
        w.line("record " + name + "(" + String.join(", ", components) + ") implements " + cls + " {");
        if (discriminantValue != null) {
            w.line("@Override");
            w.line("public int discriminant() {");
            w.line("return " + discriminantValue + ";");
            w.line("}");
            w.blank();
        }
        w.line("@Override");
        w.line("public void encode(XdrEncoder out) {");
        w.line("out.writeInt(discriminant());");
        if (t != null) w.lines(g.codecs.encode(t, "value", new Codecs.Temps()));
        w.line("}");
        w.line("}");
    }
}
