package org.rxrpc.rxgen.model;

import java.util.List;
import java.util.Map;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.ast.Decl;
import org.rxrpc.rxgen.ast.Definition;
import org.rxrpc.rxgen.ast.ProcDef;

/**
 * A checked interface file: every definition (those of included interface files too, in source order),
 * the value of every constant, and the Rx interfaces (one per {@code package}) with their opcodes.
 */
public final class Model {
    /** A constant for the constants class: a {@code const}, or a numeric {@code #define} of an interface file. */
    public record Constant(String name, String literal, Long value, String file, String doc) {
        public boolean isString() {
            return value == null;
        }
    }

    /** One {@code package}: its procedures with their opcodes. */
    public record Interface(String packagePrefix, Integer statIndex, List<Proc> procs, String file) {}

    public record Proc(ProcDef def, int opcode) {}

    private final List<Definition> definitions;
    private final Map<String, Definition> types;
    private final Map<String, Long> values;
    private final List<Constant> constants;
    private final List<Interface> interfaces;
    private final Types resolver;

    Model(
            List<Definition> definitions,
            Map<String, Definition> types,
            Map<String, Long> values,
            List<Constant> constants,
            List<Interface> interfaces) {
        this.definitions = definitions;
        this.types = types;
        this.values = values;
        this.constants = constants;
        this.interfaces = interfaces;
        this.resolver = new Types(types, this::value);
    }

    public List<Definition> definitions() {
        return definitions;
    }

    public List<Constant> constants() {
        return constants;
    }

    public List<Interface> interfaces() {
        return interfaces;
    }

    public Definition type(String name) {
        return types.get(name);
    }

    /** The value of a number or a constant's name (checked by the analyzer). */
    public long value(String numberOrName) {
        Long v = Numbers.parse(numberOrName);
        if (v != null) return v;
        Long c = values.get(numberOrName);
        if (c == null) throw new IllegalStateException("unresolved constant " + numberOrName);
        return c;
    }

    /** What a declaration is on the wire; {@code parameter}: '*' means by reference, not optional. */
    public XdrType wireType(Decl d, boolean parameter) {
        try {
            return resolver.of(d, parameter);
        } catch (CompileException e) {
            throw new IllegalStateException("unchecked declaration " + d, e);
        }
    }
}
