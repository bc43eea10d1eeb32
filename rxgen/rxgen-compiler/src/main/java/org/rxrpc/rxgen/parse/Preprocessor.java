package org.rxrpc.rxgen.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Location;

/**
 * The part of the C preprocessor that interface files need: {@code #include "f"} / {@code <f>} through
 * include paths, {@code #define} / {@code #undef}, {@code #if} / {@code #ifdef} / {@code #ifndef} /
 * {@code #elif} / {@code #else} / {@code #endif}, {@code #error}. Lines starting with {@code %} are C
 * pass-through for rxgen and are dropped. An included {@code .h} file contributes only its macros (OpenAFS
 * includes C headers such as {@code vl_opcodes.h} for their {@code #define}s).
 */
public final class Preprocessor {
    /**
     * What the preprocessor kept, the macros defined at the end, and the {@code %#define}s: those are C
     * for rxgen (never expanded), but their numbers name array sizes, so Java needs their values.
     */
    public record Result(List<SourceLine> lines, Map<String, Macro> macros, Map<String, Macro> passThroughDefines) {}

    private final List<Path> includePaths;
    private final Map<String, Macro> macros = new LinkedHashMap<>();
    private final Map<String, Macro> passThroughDefines = new LinkedHashMap<>();
    private final List<SourceLine> out = new ArrayList<>();
    private final Deque<Path> including = new ArrayDeque<>();

    private Preprocessor(List<Path> includePaths, Map<String, String> predefined) {
        this.includePaths = includePaths;
        Location builtin = new Location("<command line>", 1, 1);
        predefined.forEach((k, v) -> macros.put(k, new Macro(k, v, false, false, builtin)));
    }

    /**
     * @param predefined macros defined before the file is read (like {@code -D})
     */
    public static Result run(Path file, List<Path> includePaths, Map<String, String> predefined) {
        Preprocessor p = new Preprocessor(includePaths, predefined);
        p.process(file.toAbsolutePath().normalize(), file.toString(), false, null);
        return new Result(List.copyOf(p.out), Map.copyOf(p.macros), Map.copyOf(p.passThroughDefines));
    }

    /** One open conditional: whether its current branch is read, whether any branch was. */
    private static final class Conditional {
        final Location location;
        final boolean parentActive;
        boolean active;
        boolean taken;
        boolean sawElse;

        Conditional(Location location, boolean parentActive, boolean condition) {
            this.location = location;
            this.parentActive = parentActive;
            this.active = parentActive && condition;
            this.taken = condition;
        }
    }

    private void process(Path file, String displayName, boolean headerOnly, Location includedFrom) {
        if (including.contains(file)) {
            throw new CompileException(includedFrom, "#include nested recursively: " + displayName);
        }
        List<String> raw;
        try {
            // ISO-8859-1 reads any byte; interface files are ASCII.
            raw = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            Location at = includedFrom != null ? includedFrom : new Location(displayName, 1, 1);
            throw new CompileException(at, "cannot read " + displayName + ": " + e.getMessage());
        }
        including.push(file);
        Deque<Conditional> conditionals = new ArrayDeque<>();
        boolean inComment = false;
        for (int i = 0; i < raw.size(); i++) {
            int lineNo = i + 1;
            String line = raw.get(i);
            boolean active = conditionals.isEmpty() || conditionals.peek().active;
            String trimmed = line.stripLeading();
            if (!inComment && trimmed.startsWith("#")) {
                // A directive may continue on the next lines with a trailing backslash.
                StringBuilder directive = new StringBuilder(line);
                while (directive.length() > 0
                        && directive.charAt(directive.length() - 1) == '\\'
                        && i + 1 < raw.size()) {
                    directive.setLength(directive.length() - 1);
                    directive.append(' ').append(raw.get(++i));
                }
                int column = line.indexOf('#') + 1;
                directive(
                        directive.toString(),
                        new Location(displayName, lineNo, column),
                        file,
                        conditionals,
                        active,
                        headerOnly);
                continue;
            }
            if (!active) continue;
            if (!inComment && line.startsWith("%")) {
                passThrough(line, new Location(displayName, lineNo, 1), headerOnly);
            } else if (!headerOnly) {
                out.add(new SourceLine(displayName, lineNo, line));
            }
            inComment = commentContinues(line, inComment);
        }
        if (!conditionals.isEmpty()) {
            throw new CompileException(conditionals.peek().location, "unterminated conditional: #endif missing");
        }
        including.pop();
    }

    private void directive(
            String line, Location at, Path file, Deque<Conditional> conditionals, boolean active, boolean headerOnly) {
        String body = stripComments(line.substring(line.indexOf('#') + 1)).strip();
        int end = 0;
        while (end < body.length() && Character.isLetter(body.charAt(end))) end++;
        String word = body.substring(0, end);
        String rest = body.substring(end).strip();
        switch (word) {
            case "if" -> conditionals.push(new Conditional(at, active, active && evaluate(rest, at)));
            case "ifdef" -> conditionals.push(new Conditional(at, active, macros.containsKey(identifier(rest, at))));
            case "ifndef" -> conditionals.push(new Conditional(at, active, !macros.containsKey(identifier(rest, at))));
            case "elif" -> {
                Conditional c = open(conditionals, at, "#elif");
                if (c.sawElse) throw new CompileException(at, "#elif after #else");
                boolean take = !c.taken && c.parentActive && evaluate(rest, at);
                c.active = take;
                c.taken |= take;
            }
            case "else" -> {
                Conditional c = open(conditionals, at, "#else");
                if (c.sawElse) throw new CompileException(at, "#else after #else");
                c.sawElse = true;
                c.active = c.parentActive && !c.taken;
                c.taken = true;
            }
            case "endif" -> {
                open(conditionals, at, "#endif");
                conditionals.pop();
            }
            default -> {
                if (!active) return; // other directives count only where the text is read
                switch (word) {
                    case "define" -> define(rest, at, headerOnly);
                    case "undef" -> macros.remove(identifier(rest, at));
                    case "include" -> include(rest, at, file);
                    case "error" -> throw new CompileException(at, "#error " + rest);
                    case "pragma", "line", "ident", "warning", "" -> {
                        // "# 12 "file"" line markers and the harmless directives
                    }
                    default -> throw new CompileException(at, "unknown preprocessor directive #" + word);
                }
            }
        }
    }

    /** A {@code %} line is C for rxgen's output; only a {@code %#define NAME value} is remembered. */
    private void passThrough(String line, Location at, boolean headerOnly) {
        String body = line.substring(1).strip();
        if (headerOnly || !body.startsWith("#")) return;
        body = stripComments(body.substring(1)).strip();
        if (!body.startsWith("define")) return;
        String rest = body.substring("define".length()).strip();
        if (rest.isEmpty() || !(Character.isLetter(rest.charAt(0)) || rest.charAt(0) == '_')) return;
        String name = leadingIdentifier(rest, at);
        String after = rest.substring(name.length());
        if (after.startsWith("(")) return;
        passThroughDefines.put(name, new Macro(name, after.strip(), false, true, at));
    }

    private static Conditional open(Deque<Conditional> conditionals, Location at, String what) {
        if (conditionals.isEmpty()) throw new CompileException(at, what + " without #if");
        return conditionals.peek();
    }

    private void define(String rest, Location at, boolean headerOnly) {
        String name = leadingIdentifier(rest, at);
        String after = rest.substring(name.length());
        boolean functionLike = after.startsWith("(");
        String value = functionLike ? after.substring(after.indexOf(')') + 1).strip() : after.strip();
        macros.put(name, new Macro(name, value, functionLike, !headerOnly, at));
    }

    private void include(String rest, Location at, Path file) {
        if (rest.length() < 2) throw new CompileException(at, "#include expects \"FILE\" or <FILE>");
        char open = rest.charAt(0);
        char close = open == '"' ? '"' : open == '<' ? '>' : 0;
        int end = close == 0 ? -1 : rest.indexOf(close, 1);
        if (end < 0) throw new CompileException(at, "#include expects \"FILE\" or <FILE>");
        String name = rest.substring(1, end);
        List<Path> where = new ArrayList<>();
        if (open == '"') where.add(file.getParent());
        where.addAll(includePaths);
        for (Path dir : where) {
            Path candidate = dir.resolve(name).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate)) {
                process(candidate, displayName(candidate, name), name.endsWith(".h"), at);
                return;
            }
        }
        throw new CompileException(at, "#include file not found: " + name + " (searched " + where + ")");
    }

    /** An included file is named as the include line wrote it, next to the includer's folder if relative. */
    private static String displayName(Path resolved, String asWritten) {
        return resolved.toString().endsWith(asWritten) ? resolved.toString() : asWritten;
    }

    private boolean evaluate(String expression, Location at) {
        return new ConditionEvaluator(expression, macros, at).evaluate() != 0;
    }

    private static String identifier(String rest, Location at) {
        String name = leadingIdentifier(rest, at);
        if (!rest.substring(name.length()).isBlank()) {
            throw new CompileException(at, "extra tokens after macro name " + name);
        }
        return name;
    }

    private static String leadingIdentifier(String s, Location at) {
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        if (i == 0 || Character.isDigit(s.charAt(0))) throw new CompileException(at, "macro name expected");
        return s.substring(0, i);
    }

    /** Removes C comments from a directive line (a comment left open runs to the end of the line). */
    static String stripComments(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                b.append(' ');
                if (end < 0) break;
                i = end + 2;
            } else if (s.startsWith("//", i)) {
                break;
            } else {
                b.append(s.charAt(i++));
            }
        }
        return b.toString();
    }

    /** Whether a block comment is still open at the end of {@code line}. */
    static boolean commentContinues(String line, boolean inComment) {
        int i = 0;
        boolean inString = false;
        while (i < line.length()) {
            if (inComment) {
                if (line.startsWith("*/", i)) {
                    inComment = false;
                    i += 2;
                    continue;
                }
            } else if (inString) {
                if (line.charAt(i) == '"') inString = false;
            } else if (line.startsWith("/*", i)) {
                inComment = true;
                i += 2;
                continue;
            } else if (line.startsWith("//", i)) {
                return false;
            } else if (line.charAt(i) == '"') {
                inString = true;
            }
            i++;
        }
        return inComment;
    }
}
