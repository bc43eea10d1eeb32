package org.rxrpc.rxgen.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Location;
import org.rxrpc.rxgen.ast.ConstDef;
import org.rxrpc.rxgen.ast.Decl;
import org.rxrpc.rxgen.ast.Definition;
import org.rxrpc.rxgen.ast.EnumDef;
import org.rxrpc.rxgen.ast.PackageDef;
import org.rxrpc.rxgen.ast.ProcDef;
import org.rxrpc.rxgen.ast.StartingOpcodeDef;
import org.rxrpc.rxgen.ast.StatIndexDef;
import org.rxrpc.rxgen.ast.StructDef;
import org.rxrpc.rxgen.ast.TypedefDef;
import org.rxrpc.rxgen.ast.UnionDef;
import org.rxrpc.rxgen.parse.Macro;

/**
 * Checks a parsed file as rxgen would (every type defined, every constant known, opcodes unique within a
 * package, no opcode assignment after automatic numbering began) and computes constant values and opcodes.
 */
public final class Analyzer {
    private final List<Definition> definitions;
    private final Map<String, Definition> types = new LinkedHashMap<>();
    private final Map<String, String> constExpressions = new LinkedHashMap<>();
    private final Map<String, Location> constLocations = new HashMap<>();
    private final Map<String, Long> values = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();

    private Analyzer(List<Definition> definitions) {
        this.definitions = definitions;
    }

    /**
     * @param macros the preprocessor's macros: numeric ones of interface files become constants too
     * @param passThroughDefines the {@code %#define}s: numeric ones become constants (C code uses them as sizes)
     */
    public static Model analyze(
            List<Definition> definitions, Map<String, Macro> macros, Map<String, Macro> passThroughDefines) {
        return new Analyzer(definitions).run(macros, passThroughDefines);
    }

    private Model run(Map<String, Macro> macros, Map<String, Macro> passThroughDefines) {
        List<Model.Constant> constants = new ArrayList<>();
        for (Definition d : definitions) {
            if (d instanceof StructDef || d instanceof UnionDef || d instanceof TypedefDef) {
                defineType(d);
            } else if (d instanceof EnumDef e) {
                defineType(e);
                String previous = null;
                for (EnumDef.Value v : e.values()) {
                    // C: a member without a value is the previous one plus one, the first is 0
                    String expr = v.assignment() != null ? v.assignment() : previous == null ? "0" : previous + "+1";
                    defineConstant(v.name(), expr, v.location());
                    previous = v.name();
                }
            } else if (d instanceof ConstDef c) {
                if (!c.value().startsWith("\"")) defineConstant(c.name(), c.value(), c.location());
                else defineName(c.name(), c.location());
            } else if (d instanceof StatIndexDef s) {
                defineConstant(s.name(), Integer.toString(s.index()), s.location());
            }
        }
        for (Definition d : definitions) {
            if (d instanceof ConstDef c) {
                Long v = c.value().startsWith("\"") ? null : value(c.value(), c.location());
                constants.add(
                        new Model.Constant(c.name(), c.value(), v, c.location().file(), c.doc()));
            }
        }
        List<Macro> numericDefines = new ArrayList<>(macros.values());
        numericDefines.addAll(passThroughDefines.values());
        for (Macro m : numericDefines) {
            Long v = Numbers.parse(m.value().replaceAll("^\\((.*)\\)$", "$1").strip());
            if (!m.fromInterface() || m.functionLike() || v == null || constLocations.containsKey(m.name())) continue;
            defineConstant(m.name(), Long.toString(v), m.location());
            constants.add(
                    new Model.Constant(m.name(), m.value(), v, m.location().file(), ""));
        }
        for (String name : constExpressions.keySet()) value(name, constLocations.get(name));
        Types resolver = new Types(types, name -> value(name, null));
        for (Definition d : definitions) check(d, resolver);
        List<Model.Interface> interfaces = interfaces();
        return new Model(
                List.copyOf(definitions), Map.copyOf(types), Map.copyOf(values), List.copyOf(constants), interfaces);
    }

    private void defineType(Definition d) {
        Definition old = types.putIfAbsent(d.name(), d);
        if (old != null && !sameDefinition(old, d)) {
            throw new CompileException(d.location(), d.name() + " redefined (first defined at " + old.location() + ")");
        }
    }

    /** A file included twice (no include guard) defines the same thing twice: that is harmless. */
    private static boolean sameDefinition(Definition a, Definition b) {
        return a.location().equals(b.location());
    }

    private void defineConstant(String name, String expression, Location at) {
        defineName(name, at);
        constExpressions.put(name, expression);
    }

    private void defineName(String name, Location at) {
        Location old = constLocations.putIfAbsent(name, at);
        if (old != null && !old.equals(at)) {
            throw new CompileException(at, name + " redefined (first defined at " + old + ")");
        }
    }

    /** A number, a constant's name, or an enum member's "previous+1". */
    private long value(String expression, Location at) {
        Long literal = Numbers.parse(expression);
        if (literal != null) return literal;
        if (expression.endsWith("+1")) return value(expression.substring(0, expression.length() - 2), at) + 1;
        Long known = values.get(expression);
        if (known != null) return known;
        String definition = constExpressions.get(expression);
        if (definition == null) {
            if (at == null) throw new IllegalStateException("unknown constant " + expression);
            throw new CompileException(at, "unknown constant " + expression);
        }
        if (!resolving.add(expression)) {
            throw new CompileException(
                    constLocations.get(expression), "constant " + expression + " defined in terms of itself");
        }
        long v = value(definition, constLocations.get(expression));
        resolving.remove(expression);
        values.put(expression, v);
        return v;
    }

    private void check(Definition d, Types resolver) {
        if (d instanceof StructDef s) {
            Set<String> names = new HashSet<>();
            for (Decl m : s.members()) {
                if (!names.add(m.name()))
                    throw new CompileException(m.location(), "member " + m.name() + " declared twice");
                resolver.of(m, false);
            }
        } else if (d instanceof UnionDef u) {
            checkUnion(u, resolver);
        } else if (d instanceof TypedefDef t) {
            resolver.of(t.decl(), false);
        } else if (d instanceof ProcDef p) {
            Set<String> names = new HashSet<>();
            for (ProcDef.Param param : p.params()) {
                Decl decl = param.decl();
                if (!names.add(decl.name())) {
                    throw new CompileException(decl.location(), "parameter " + decl.name() + " declared twice");
                }
                resolver.of(decl, true);
            }
        }
    }

    private void checkUnion(UnionDef u, Types resolver) {
        XdrType disc = resolver.of(u.discriminant(), false);
        boolean integral = disc instanceof XdrType.Named n
                ? n.kind() == XdrType.NamedKind.ENUM
                : disc instanceof XdrType.Primitive p
                        && p.kind() != XdrType.Kind.HYPER
                        && p.kind() != XdrType.Kind.UHYPER
                        && p.kind() != XdrType.Kind.FLOAT
                        && p.kind() != XdrType.Kind.DOUBLE
                        && p.kind() != XdrType.Kind.UUID;
        if (!integral) {
            throw new CompileException(u.discriminant().location(), "a union switches on an integer or an enum");
        }
        Map<Long, String> seen = new HashMap<>();
        for (UnionDef.Arm arm : u.arms()) {
            long v = value(arm.label(), arm.location());
            String old = seen.put(v, arm.label());
            if (old != null)
                throw new CompileException(arm.location(), "case " + arm.label() + " duplicates case " + old);
            if (!arm.decl().isVoid()) resolver.of(arm.decl(), false);
        }
        if (u.defaultArm() != null && !u.defaultArm().isVoid()) resolver.of(u.defaultArm(), false);
    }

    /** rxgen's opcode rules: {@code = N} or the next number (from 0 or {@code startingopcode}), unique per package. */
    private List<Model.Interface> interfaces() {
        List<Model.Interface> result = new ArrayList<>();
        String prefix = null;
        String file = null;
        Integer statIndex = null;
        List<Model.Proc> procs = new ArrayList<>();
        Map<Integer, ProcDef> opcodes = new HashMap<>();
        int next = 0;
        boolean assignmentsAllowed = true;
        for (Definition d : definitions) {
            if (d instanceof PackageDef p) {
                if (prefix != null) result.add(new Model.Interface(prefix, statIndex, List.copyOf(procs), file));
                prefix = p.name();
                file = p.location().file();
                statIndex = null;
                procs.clear();
                opcodes.clear();
                assignmentsAllowed = true;
            } else if (d instanceof StatIndexDef s) {
                if (statIndex != null) {
                    throw new CompileException(s.location(), "Cannot have more than one 'statindex' per package");
                }
                statIndex = s.index();
            } else if (d instanceof StartingOpcodeDef s) {
                next = s.opcode();
                assignmentsAllowed = false;
            } else if (d instanceof ProcDef p) {
                int opcode;
                if (p.opcode() != null) {
                    if (!assignmentsAllowed) {
                        throw new CompileException(
                                p.location(),
                                "Opcode assignment isn't allowed here (opcodes are numbered automatically)");
                    }
                    long v = value(p.opcode(), p.location());
                    if (v < 0 || v > Integer.MAX_VALUE)
                        throw new CompileException(p.location(), "opcode " + v + " out of range");
                    opcode = (int) v;
                } else {
                    opcode = next++;
                    assignmentsAllowed = false;
                }
                ProcDef old = opcodes.putIfAbsent(opcode, p);
                if (old != null) {
                    throw new CompileException(
                            p.location(),
                            "The opcode number " + opcode + " is already used by " + old.name() + " (" + old.location()
                                    + ")");
                }
                procs.add(new Model.Proc(p, opcode));
            }
        }
        if (prefix != null) result.add(new Model.Interface(prefix, statIndex, List.copyOf(procs), file));
        return List.copyOf(result);
    }
}
