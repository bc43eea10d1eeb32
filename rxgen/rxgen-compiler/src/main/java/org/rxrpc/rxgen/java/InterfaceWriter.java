package org.rxrpc.rxgen.java;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.ast.Direction;
import org.rxrpc.rxgen.ast.ProcDef;
import org.rxrpc.rxgen.model.Model;
import org.rxrpc.rxgen.model.XdrType;

/**
 * One {@code package} of procedures as Java: {@code <Base>} (opcodes, results of procedures with several
 * OUT values), {@code <Base>Client} and its stub {@code <Base>Stub}, {@code <Base>Service} and
 * {@code <Base>Dispatcher}.
 */
final class InterfaceWriter {
    private final JavaGenerator g;
    private final Model.Interface iface;
    private final String base;
    private final List<Proc> procs = new ArrayList<>();

    private record Param(Direction direction, String name, XdrType type, String doc) {}

    /** A procedure as Java sees it. */
    private record Proc(Model.Proc p, String method, String opcode, List<Param> in, List<Param> out, String result) {
        boolean split() {
            return p.def().split();
        }
    }

    InterfaceWriter(JavaGenerator g, Model.Interface iface) {
        this.g = g;
        this.iface = iface;
        this.base = JavaNames.packageBase(iface.packagePrefix());
        Set<String> methods = new HashSet<>();
        Set<String> opcodes = new HashSet<>();
        for (Model.Proc p : iface.procs()) {
            String name =
                    p.def().name().isEmpty() ? "proc" + p.opcode() : p.def().name();
            String method = JavaNames.member(name);
            String opcode = JavaNames.constant(name);
            if (!methods.add(method) || !opcodes.add(opcode)) {
                throw new CompileException(
                        p.def().location(), "procedure " + name + " gives a Java name used by another");
            }
            List<Param> in = new ArrayList<>();
            List<Param> out = new ArrayList<>();
            for (ProcDef.Param param : p.def().params()) {
                Param q = new Param(
                        param.direction(),
                        JavaNames.local(param.decl().name()),
                        g.model().wireType(param.decl(), true),
                        param.decl().doc());
                if (q.direction().isIn()) in.add(q);
                if (q.direction().isOut()) out.add(q);
            }
            String result = out.isEmpty()
                    ? "void"
                    : out.size() == 1 ? g.codecs.javaType(out.get(0).type()) : base + "." + resultName(method);
            procs.add(new Proc(p, method, opcode, in, out, result));
        }
    }

    private static String resultName(String method) {
        return Character.toUpperCase(method.charAt(0)) + method.substring(1) + "Result";
    }

    List<String> classNames() {
        return List.of(base, base + "Client", base + "Stub", base + "Service", base + "Dispatcher");
    }

    Map<String, String> write() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(base, description());
        files.put(base + "Client", client());
        files.put(base + "Stub", stub());
        files.put(base + "Service", service());
        files.put(base + "Dispatcher", dispatcher());
        return files;
    }

    private String what() {
        return "the " + iface.packagePrefix() + " interface of " + iface.file().replaceAll("^.*[/\\\\]", "");
    }

    private String description() {
        SourceWriter w = new SourceWriter();
        w.javadoc("Opcodes of " + what() + ", and the values of its procedures with several OUT parameters.");
        w.line("public final class " + base + " {");
        w.line("private " + base + "() {}");
        w.blank();
        w.javadoc("The rxgen package prefix.");
        w.line("public static final String PACKAGE = \"" + iface.packagePrefix() + "\";");
        if (iface.statIndex() != null) {
            w.blank();
            w.javadoc("The Rx statistics index (statindex).");
            w.line("public static final int STATINDEX = " + iface.statIndex() + ";");
        }
        for (Proc p : procs) {
            w.blank();
            w.javadoc("Opcode of " + p.p().def().name() + ".");
            w.line("public static final int " + p.opcode() + " = " + p.p().opcode() + ";");
        }
        for (Proc p : procs) {
            if (p.out().size() < 2) continue;
            w.blank();
            StringBuilder doc =
                    new StringBuilder("The OUT values of " + p.p().def().name() + ".");
            List<String> components = new ArrayList<>();
            for (Param o : p.out()) {
                components.add(g.codecs.javaType(o.type()) + " " + JavaNames.component(o.name()));
                if (!o.doc().isBlank())
                    doc.append("\n@param ")
                            .append(o.name())
                            .append(' ')
                            .append(o.doc().replace('\n', ' '));
            }
            w.javadoc(doc.toString());
            w.wrapped("public record " + resultName(p.method()), components, " {}");
        }
        w.blank();
        w.javadoc("The procedure an opcode names, or null (for logs).");
        w.line("public static String procedureName(int opcode) {");
        w.line("switch (opcode) {");
        for (Proc p : procs) {
            w.line("case " + p.opcode() + ":");
            w.line("    return \"" + iface.packagePrefix() + p.p().def().name() + "\";");
        }
        w.line("default:");
        w.line("    return null;");
        w.line("}");
        w.line("}");
        w.line("}");
        return w.toString();
    }

    private String procDoc(Proc p, boolean server) {
        StringBuilder b = new StringBuilder(
                p.p().def().doc().isBlank()
                        ? p.p().def().name() + " (opcode " + p.p().opcode() + ")."
                        : p.p().def().doc());
        if (p.split()) {
            b.append(
                    server
                            ? "\nSplit: read more request bytes from call.in() and write reply bytes to call.out() before returning the OUT values."
                            : "\nSplit: stream through the returned call, then end() it for the OUT values.");
        }
        if (p.p().def().multi()) b.append("\nmulti in rxgen: to ask several servers, call each from its own thread.");
        boolean first = true;
        for (Param q : p.in()) {
            if (q.doc().isBlank()) continue;
            if (first) b.append('\n');
            first = false;
            b.append("\n@param ").append(q.name()).append(' ').append(q.doc().replace('\n', ' '));
        }
        return b.toString();
    }

    /** Every parameter name of a procedure (an INOUT one read back is also "nameOut"). */
    private static List<String> names(Proc p) {
        List<String> names = new ArrayList<>();
        for (Param q : p.in()) names.add(q.name());
        for (Param q : p.out()) {
            names.add(q.name());
            names.add(q.name() + "Out");
        }
        return names;
    }

    private List<String> parameterList(Proc p) {
        List<String> params = new ArrayList<>();
        for (Param q : p.in()) params.add(g.codecs.javaType(q.type()) + " " + q.name());
        return params;
    }

    private String replyType(Proc p) {
        if (p.out().isEmpty()) return "Void";
        if (p.out().size() == 1) return g.codecs.boxed(p.out().get(0).type());
        return p.result();
    }

    private String clientReturn(Proc p) {
        return p.split() ? "SplitCall<" + replyType(p) + ">" : p.result();
    }

    private String client() {
        SourceWriter w = new SourceWriter();
        w.javadoc("The client side of " + what() + ". Every method is one blocking call; an abort (the server's code,"
                + " a timeout, RXGEN_CC_MARSHAL / RXGEN_CC_UNMARSHAL) is an RxCallAbortedException with the code.");
        w.line("public interface " + base + "Client {");
        boolean first = true;
        for (Proc p : procs) {
            if (!first) w.blank();
            first = false;
            w.javadoc(procDoc(p, false));
            w.wrapped(clientReturn(p) + " " + p.method(), parameterList(p), " throws InterruptedException;");
        }
        w.line("}");
        return w.toString();
    }

    private String stub() {
        String cls = base + "Stub";
        SourceWriter w = new SourceWriter();
        w.javadoc("Calls " + what() + " on one server over an RxEndpoint.");
        w.line("public final class " + cls + " extends RxgenClient implements " + base + "Client {");
        w.javadoc("@param timeout the longest wait for the next reply bytes");
        w.wrapped(
                "public " + cls,
                List.of(
                        "RxEndpoint endpoint",
                        "InetSocketAddress server",
                        "int serviceId",
                        "CallOptions options",
                        "Duration timeout"),
                " {");
        w.line("super(endpoint, server, serviceId, options, timeout);");
        w.line("}");
        for (Proc p : procs) {
            w.blank();
            w.line("@Override");
            w.wrapped(
                    "public " + clientReturn(p) + " " + p.method(), parameterList(p), " throws InterruptedException {");
            String request = p.in().isEmpty() ? "out -> {}" : "out -> {";
            String call = p.split() ? "start(" : "call(";
            String ret = p.result().equals("void") && !p.split() ? "" : "return ";
            w.line(ret + call + base + "." + p.opcode() + ", " + request);
            Codecs.Temps temps = new Codecs.Temps(names(p));
            for (Param q : p.in()) w.lines(g.codecs.encode(q.type(), q.name(), temps));
            String opener = p.in().isEmpty() ? "" : "}, ";
            if (p.out().isEmpty()) {
                w.line(p.in().isEmpty() ? "in -> null);" : "}, in -> null);");
                if (p.in().isEmpty()) fixLastLine(w);
            } else {
                w.line(opener + "in -> {");
                if (p.in().isEmpty()) fixLastLine(w);
                List<String> names = new ArrayList<>();
                for (Param o : p.out()) {
                    // an INOUT value read back must not shadow the argument of the same name
                    String local = o.direction() == Direction.INOUT ? o.name() + "Out" : o.name();
                    w.lines(g.codecs.decode(o.type(), local, temps));
                    names.add(local);
                }
                w.line(
                        p.out().size() == 1
                                ? "return " + names.get(0) + ";"
                                : "return new " + p.result() + "(" + String.join(", ", names) + ");");
                w.line("});");
            }
            w.line("}");
        }
        w.line("}");
        return w.toString();
    }

    /** With no IN values "out -> {}" and the reply reader share the call's line. */
    private static void fixLastLine(SourceWriter w) {
        w.joinLastTwoLines();
    }

    private String service() {
        SourceWriter w = new SourceWriter();
        w.javadoc("The server side of " + what() + ": one method per procedure, each given the incoming call first."
                + " Throw RxAbortException to answer with an error code; a procedure left unimplemented answers"
                + " RXGEN_OPCODE, as OpenAFS does for opcodes it does not know.");
        w.line("public interface " + base + "Service {");
        boolean first = true;
        for (Proc p : procs) {
            if (!first) w.blank();
            first = false;
            w.javadoc(procDoc(p, true));
            List<String> params = new ArrayList<>();
            params.add("ServerCall call");
            params.addAll(parameterList(p));
            w.wrapped("default " + p.result() + " " + p.method(), params, " {");
            w.line("throw new RxAbortException(AbortCodes.RXGEN_OPCODE, \""
                    + p.p().def().name() + " is not implemented\");");
            w.line("}");
        }
        w.line("}");
        return w.toString();
    }

    private String dispatcher() {
        String cls = base + "Dispatcher";
        SourceWriter w = new SourceWriter();
        w.javadoc("Serves " + what() + " from a " + base + "Service: hand it each incoming call.");
        w.line("public final class " + cls + " extends RxgenDispatcher {");
        w.line("private final " + base + "Service service;");
        w.blank();
        w.line("public " + cls + "(" + base + "Service service) {");
        w.line("this.service = Objects.requireNonNull(service, \"service\");");
        w.line("}");
        w.blank();
        w.javadoc("@param readTimeout the longest wait for the next request bytes");
        w.line("public " + cls + "(" + base + "Service service, Duration readTimeout) {");
        w.line("super(readTimeout);");
        w.line("this.service = Objects.requireNonNull(service, \"service\");");
        w.line("}");
        w.blank();
        w.line("@Override");
        w.line("protected void serve(int opcode, ServerCall call) {");
        w.line("switch (opcode) {");
        for (Proc p : procs) {
            w.line("case " + base + "." + p.opcode() + ":");
            w.line("    " + p.method() + "(call);");
            w.line("    break;");
        }
        w.line("default:");
        w.line("    throw unknownOpcode(opcode);");
        w.line("}");
        w.line("}");
        for (Proc p : procs) {
            w.blank();
            w.line("private void " + p.method() + "(ServerCall call) {");
            List<String> args = new ArrayList<>();
            args.add("call");
            if (!p.in().isEmpty()) w.line("XdrDecoder in = call.in();");
            Codecs.Temps temps = new Codecs.Temps(names(p));
            for (Param q : p.in()) {
                w.lines(g.codecs.decode(q.type(), q.name(), temps));
                args.add(q.name());
            }
            if (!p.split()) w.line("call.endRequest();");
            String invoke = "service." + p.method() + "(" + String.join(", ", args) + ");";
            if (p.out().isEmpty()) {
                w.line(invoke);
            } else {
                w.line(p.result() + " result = " + invoke);
                w.line("XdrEncoder out = call.out();");
                if (p.out().size() == 1) {
                    w.lines(g.codecs.encode(p.out().get(0).type(), "result", temps));
                } else {
                    for (Param o : p.out())
                        w.lines(g.codecs.encode(o.type(), "result." + JavaNames.component(o.name()) + "()", temps));
                }
            }
            w.line("}");
        }
        w.line("}");
        return w.toString();
    }
}
