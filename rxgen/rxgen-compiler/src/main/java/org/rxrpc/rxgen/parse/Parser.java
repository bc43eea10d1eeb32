package org.rxrpc.rxgen.parse;

import java.util.ArrayList;
import java.util.List;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Location;
import org.rxrpc.rxgen.ast.ConstDef;
import org.rxrpc.rxgen.ast.Decl;
import org.rxrpc.rxgen.ast.Definition;
import org.rxrpc.rxgen.ast.Direction;
import org.rxrpc.rxgen.ast.EnumDef;
import org.rxrpc.rxgen.ast.PackageDef;
import org.rxrpc.rxgen.ast.PrefixDef;
import org.rxrpc.rxgen.ast.ProcDef;
import org.rxrpc.rxgen.ast.Relation;
import org.rxrpc.rxgen.ast.SplitPrefixDef;
import org.rxrpc.rxgen.ast.StartingOpcodeDef;
import org.rxrpc.rxgen.ast.StatIndexDef;
import org.rxrpc.rxgen.ast.StructDef;
import org.rxrpc.rxgen.ast.TypedefDef;
import org.rxrpc.rxgen.ast.UnionDef;

/**
 * Recursive descent over rxgen's grammar (OpenAFS src/rxgen/rpc_parse.c): the XDR language (const,
 * enum, struct, union switch, typedef) and rxgen's additions (package, prefix, statindex,
 * startingopcode, splitprefix, customized struct, procedures with IN/OUT/INOUT, split, multi, opcodes).
 */
public final class Parser {
    private final List<Token> tokens;
    private int pos;
    private String packagePrefix;
    /** rxgen's parameter direction carries over from the previous parameter, even across procedures. */
    private Direction lastDirection = Direction.IN;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static List<Definition> parse(List<Token> tokens) {
        return new Parser(tokens).definitions();
    }

    private List<Definition> definitions() {
        List<Definition> defs = new ArrayList<>();
        while (peek().kind != Token.Kind.EOF) defs.add(definition());
        return defs;
    }

    private Definition definition() {
        int start = pos;
        Token t = next();
        if (t.kind != Token.Kind.IDENT && !t.is("(")) throw error(t, "definition keyword expected");
        switch (t.text) {
            case "struct":
                return terminated(struct(start));
            case "customized":
                expect("struct");
                return terminated(struct(start));
            case "union":
                return terminated(union(start));
            case "enum":
                return terminated(enumeration(start));
            case "typedef": {
                Decl d = declaration(Context.TYPEDEF);
                expect(";");
                return new TypedefDef(d, t.location, docOf(start, pos));
            }
            case "const":
                return terminated(constant(start));
            case "package": {
                Token name = identifier("package prefix");
                packagePrefix = name.text;
                return new PackageDef(name.text, t.location, docOf(start, pos));
            }
            case "prefix":
                return new PrefixDef(identifier("server prefix").text, t.location, docOf(start, pos));
            case "statindex": {
                if (packagePrefix == null) throw error(t, "'statindex' command must follow 'package' command");
                int index = literal("statindex number");
                return new StatIndexDef(
                        packagePrefix + "STATINDEX", index, packagePrefix, t.location, docOf(start, pos));
            }
            case "startingopcode": {
                int opcode = literal("starting opcode");
                if (opcode > 99999) throw error(t, "startingopcode number is out of bounds (must be >= 0 < 100000)");
                return new StartingOpcodeDef("startingopcode", opcode, t.location, docOf(start, pos));
            }
            case "splitprefix":
                return splitPrefix(t, start);
            case "special":
                throw error(t, "'special' definitions are not supported (no OpenAFS interface uses them)");
            case "proc":
                return procedure(peek().is("(") ? null : identifier("procedure name"), t, start);
            case "(":
                pos--;
                return procedure(null, t, start);
            default:
                if (isKeyword(t.text)) throw error(t, "definition keyword expected");
                return procedure(t, t, start);
        }
    }

    private Definition terminated(Definition d) {
        expect(";");
        return d;
    }

    private StructDef struct(int start) {
        Token name = identifier("struct name");
        expect("{");
        String doc = docOf(start, pos);
        List<Decl> members = new ArrayList<>();
        do {
            int memberStart = pos;
            Decl d = declaration(Context.STRUCT);
            expect(";");
            members.add(withDoc(d, docOf(memberStart, pos)));
        } while (!peek().is("}"));
        next();
        return new StructDef(name.text, List.copyOf(members), name.location, doc);
    }

    private UnionDef union(int start) {
        Token name = identifier("union name");
        expect("switch");
        expect("(");
        Decl discriminant = declaration(Context.UNION);
        expect(")");
        expect("{");
        String doc = docOf(start, pos);
        List<UnionDef.Arm> arms = new ArrayList<>();
        Token t = expect("case"); // rxgen wants at least one case
        List<Token> labels = new ArrayList<>();
        while (t.is("case")) {
            Token label = next();
            if (label.kind != Token.Kind.IDENT && label.kind != Token.Kind.NUMBER) {
                throw error(label, "case label expected, found " + label.describe());
            }
            expect(":");
            labels.add(label);
            if (peek().is("case")) { // "case A: case B: decl;" shares one declaration
                t = next();
                continue;
            }
            int armStart = pos;
            Decl d = declaration(Context.UNION);
            expect(";");
            d = withDoc(d, docOf(armStart, pos));
            for (Token l : labels) arms.add(new UnionDef.Arm(l.text, d, l.location));
            labels.clear();
            t = expectOneOf("case", "default", "}");
        }
        Decl defaultArm = null;
        if (t.is("default")) {
            expect(":");
            defaultArm = declaration(Context.UNION);
            expect(";");
            expect("}");
        }
        if (arms.isEmpty() && defaultArm == null) throw error(name, "union " + name.text + " has no arms");
        return new UnionDef(name.text, discriminant, List.copyOf(arms), defaultArm, name.location, doc);
    }

    private EnumDef enumeration(int start) {
        Token name = identifier("enum name");
        expect("{");
        String doc = docOf(start, pos);
        List<EnumDef.Value> values = new ArrayList<>();
        Token t;
        do {
            int valueStart = pos;
            Token v = identifier("enum value name");
            String assignment = null;
            t = expectOneOf(",", "}", "=");
            if (t.is("=")) {
                assignment = constantOrIdentifier("enum value").text;
                t = expectOneOf(",", "}");
            }
            values.add(new EnumDef.Value(v.text, assignment, v.location, docOf(valueStart, pos)));
        } while (!t.is("}"));
        return new EnumDef(name.text, List.copyOf(values), name.location, doc);
    }

    private ConstDef constant(int start) {
        Token name = identifier("constant name");
        expect("=");
        Token value = next();
        if (value.kind != Token.Kind.IDENT && value.kind != Token.Kind.NUMBER && value.kind != Token.Kind.STRING) {
            throw error(value, "constant value expected, found " + value.describe());
        }
        return new ConstDef(name.text, value.text, name.location, docOf(start, pos + 1));
    }

    private SplitPrefixDef splitPrefix(Token keyword, int start) {
        String in = null;
        String out = null;
        while (true) {
            Token t = next();
            if (t.is(";")) break;
            if (!t.is("IN") && !t.is("OUT")) throw error(t, "syntax error in the 'splitprefix' line");
            expect("=");
            String name = identifier("split prefix").text;
            if (t.is("IN")) in = name;
            else out = name;
        }
        if (in == null && out == null) throw error(keyword, "At least one param should be passed to 'splitprefix' cmd");
        return new SplitPrefixDef("splitprefix", in, out, keyword.location, docOf(start, pos));
    }

    private ProcDef procedure(Token name, Token first, int start) {
        if (packagePrefix == null) throw error(first, "Procedure must be in a package");
        String serverStub = null;
        if (peek().kind == Token.Kind.IDENT) serverStub = next().text;
        expect("(");
        String doc = docOf(start, pos);
        List<ProcDef.Param> params = new ArrayList<>();
        if (!peek().is(")")) {
            while (true) {
                int paramStart = pos;
                Direction direction = lastDirection;
                if (peek().is("IN") || peek().is("OUT") || peek().is("INOUT")) {
                    direction = Direction.valueOf(next().text);
                }
                lastDirection = direction;
                Decl d = declaration(direction == Direction.OUT ? Context.OUT_PARAM : Context.IN_PARAM);
                Token sep = expectOneOf(",", ")");
                params.add(new ProcDef.Param(direction, withDoc(d, docOf(paramStart, pos))));
                if (sep.is(")")) break;
            }
        } else {
            next();
        }
        boolean split = false;
        boolean multi = false;
        Token t = expectOneOf("split", "multi", "=", ";");
        if (t.is("multi")) {
            multi = true;
            t = expectOneOf("=", ";");
        } else if (t.is("split")) {
            split = true;
            t = expectOneOf("=", ";");
        }
        String opcode = null;
        if (t.is("=")) {
            opcode = constantOrIdentifier("opcode").text;
            expect(";");
        }
        String procName = name == null ? "" : name.text;
        Location at = name == null ? first.location : name.location;
        return new ProcDef(procName, packagePrefix, serverStub, List.copyOf(params), split, multi, opcode, at, doc);
    }

    private enum Context {
        STRUCT,
        UNION,
        TYPEDEF,
        IN_PARAM,
        OUT_PARAM
    }

    /** rxgen's get_declaration: a type, an optional '*', a name, an optional array part. */
    private Decl declaration(Context context) {
        Token first = peek();
        String type = type(context);
        if (type.equals("void")) return new Decl("void", null, Relation.ALIAS, null, first.location, "");
        Relation relation = Relation.ALIAS;
        if (peek().is("*")) {
            next();
            relation = Relation.POINTER;
        }
        Token name = identifier("declaration name");
        String bound = null;
        if (peek().is("[") || peek().is("<")) {
            Token open = next();
            if (relation == Relation.POINTER) throw error(open, "no array-of-pointer declarations -- use typedef");
            if (open.is("[")) {
                relation = Relation.VECTOR;
                bound = constantOrIdentifier("array size").text;
                expect("]");
            } else {
                relation = Relation.ARRAY;
                if (peek().is(">")) {
                    next();
                    if (context == Context.IN_PARAM) throw error(open, "input arrays must specify a max size");
                } else {
                    bound = constantOrIdentifier("array maximum").text;
                    expect(">");
                }
            }
        }
        if (type.equals("opaque") && relation != Relation.ARRAY && relation != Relation.VECTOR) {
            throw error(name, "array declaration expected");
        }
        if (type.equals("string") && relation != Relation.ARRAY) {
            throw error(name, "variable-length array declaration expected");
        }
        return new Decl(type, name.text, relation, bound, name.location, "");
    }

    /** rxgen's get_type, with its spellings: unsigned [char|short|int|afs_int32], short [int], afs_int32 [int]. */
    private String type(Context context) {
        Token t = next();
        if (t.kind != Token.Kind.IDENT) throw error(t, "expected type specifier, found " + t.describe());
        switch (t.text) {
            case "struct", "enum", "union" -> {
                return identifier(t.text + " name").text;
            }
            case "unsigned" -> {
                Token n = peek();
                if (n.is("char")) {
                    next();
                    return "u_char";
                } else if (n.is("short")) {
                    next();
                    optional("int");
                    return "u_short";
                } else if (n.is("afs_int32")) {
                    next();
                    optional("int");
                    return "afs_uint32";
                } else if (n.is("int")) {
                    next();
                }
                return "u_int";
            }
            case "short" -> {
                optional("int");
                return "short";
            }
            case "afs_int32" -> {
                optional("int");
                return "afs_int32";
            }
            case "void" -> {
                if (context != Context.UNION) throw error(t, "voids allowed only inside union definitions");
                return "void";
            }
            default -> {
                if (isKeyword(t.text) && !isTypeKeyword(t.text)) {
                    throw error(t, "expected type specifier, found " + t.describe());
                }
                return t.text;
            }
        }
    }

    private static boolean isTypeKeyword(String s) {
        return switch (s) {
            case "string", "opaque", "char", "int", "float", "double", "bool", "afsUUID" -> true;
            default -> false;
        };
    }

    private static boolean isKeyword(String s) {
        return switch (s) {
            case "const",
                    "union",
                    "switch",
                    "case",
                    "default",
                    "struct",
                    "typedef",
                    "enum",
                    "opaque",
                    "bool",
                    "void",
                    "char",
                    "int",
                    "unsigned",
                    "short",
                    "afs_int32",
                    "float",
                    "double",
                    "string",
                    "package",
                    "prefix",
                    "statindex",
                    "special",
                    "startingopcode",
                    "customized",
                    "proc",
                    "splitprefix",
                    "split",
                    "multi",
                    "IN",
                    "OUT",
                    "INOUT",
                    "afsUUID" -> true;
            default -> false;
        };
    }

    // ---- token helpers ----

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind != Token.Kind.EOF) pos++;
        return t;
    }

    private void optional(String text) {
        if (peek().is(text)) next();
    }

    private Token expect(String text) {
        Token t = next();
        if (!t.is(text)) throw error(t, "expected '" + text + "', found " + t.describe());
        return t;
    }

    private Token expectOneOf(String... texts) {
        Token t = next();
        for (String s : texts) if (t.is(s)) return t;
        throw error(t, "expected " + quoted(texts) + ", found " + t.describe());
    }

    private Token identifier(String what) {
        Token t = next();
        if (t.kind != Token.Kind.IDENT || isKeyword(t.text)) throw error(t, what + " expected, found " + t.describe());
        return t;
    }

    /** rxgen's scan_num: a number or a name (a constant). */
    private Token constantOrIdentifier(String what) {
        Token t = next();
        if (t.kind != Token.Kind.NUMBER && (t.kind != Token.Kind.IDENT || isKeyword(t.text))) {
            throw error(t, what + ": constant or identifier expected, found " + t.describe());
        }
        return t;
    }

    private int literal(String what) {
        Token t = next();
        if (t.kind != Token.Kind.NUMBER || t.text.startsWith("-") || t.text.startsWith("0x")) {
            throw error(t, what + " must be a constant number, found " + t.describe());
        }
        try {
            return Integer.parseInt(t.text);
        } catch (NumberFormatException e) {
            throw error(t, what + " out of range: " + t.text);
        }
    }

    private static String quoted(String[] texts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < texts.length; i++) {
            if (i > 0) b.append(i == texts.length - 1 ? " or " : ", ");
            b.append('\'').append(texts[i]).append('\'');
        }
        return b.toString();
    }

    private static CompileException error(Token t, String message) {
        return new CompileException(t.location, message);
    }

    private static Decl withDoc(Decl d, String doc) {
        return new Decl(d.type(), d.name(), d.relation(), d.bound(), d.location(), doc);
    }

    /** The comments attached to tokens [from, to): before them, or trailing on their lines. */
    private String docOf(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to && i < tokens.size(); i++) {
            Token t = tokens.get(i);
            for (String c : t.leading) append(b, c);
            for (String c : t.trailing) append(b, c);
        }
        return b.toString();
    }

    private static void append(StringBuilder b, String comment) {
        if (b.length() > 0) b.append('\n');
        b.append(comment);
    }
}
