package org.rxrpc.rxgen.parse;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Location;

/**
 * Evaluates a {@code #if} / {@code #elif} expression as cpp does: integers, {@code defined(X)},
 * macros expanded (an unknown name is 0), C's unary, arithmetic, shift, comparison, bitwise and logical
 * operators and parentheses.
 */
final class ConditionEvaluator {
    private final String text;
    private final Map<String, Macro> macros;
    private final Location at;
    private final Set<String> expanding;
    private int pos;

    ConditionEvaluator(String text, Map<String, Macro> macros, Location at) {
        this(text, macros, at, new HashSet<>());
    }

    private ConditionEvaluator(String text, Map<String, Macro> macros, Location at, Set<String> expanding) {
        this.text = text;
        this.macros = macros;
        this.at = at;
        this.expanding = expanding;
    }

    long evaluate() {
        if (text.isBlank()) throw error("#if with no expression");
        long v = binary(0);
        skipSpace();
        if (pos < text.length()) throw error("unexpected '" + text.substring(pos) + "' in #if expression");
        return v;
    }

    private static final String[][] LEVELS = {
        {"||"},
        {"&&"},
        {"|"},
        {"^"},
        {"&"},
        {"==", "!="},
        {"<=", ">=", "<", ">"},
        {"<<", ">>"},
        {"+", "-"},
        {"*", "/", "%"}
    };

    private long binary(int level) {
        if (level == LEVELS.length) return unary();
        long left = binary(level + 1);
        while (true) {
            String op = operator(LEVELS[level]);
            if (op == null) return left;
            long right = binary(level + 1);
            left = apply(op, left, right);
        }
    }

    private String operator(String[] candidates) {
        skipSpace();
        for (String op : candidates) {
            if (text.startsWith(op, pos)) {
                // "|" must not take "||", "&" not "&&", "<" not "<<" or "<="
                String next = pos + op.length() < text.length()
                        ? text.substring(pos + op.length(), pos + op.length() + 1)
                        : "";
                if (op.length() == 1 && (next.equals(op) || (op.matches("[<>]") && next.equals("=")))) continue;
                pos += op.length();
                return op;
            }
        }
        return null;
    }

    private long apply(String op, long a, long b) {
        return switch (op) {
            case "||" -> (a != 0 || b != 0) ? 1 : 0;
            case "&&" -> (a != 0 && b != 0) ? 1 : 0;
            case "|" -> a | b;
            case "^" -> a ^ b;
            case "&" -> a & b;
            case "==" -> a == b ? 1 : 0;
            case "!=" -> a != b ? 1 : 0;
            case "<" -> a < b ? 1 : 0;
            case ">" -> a > b ? 1 : 0;
            case "<=" -> a <= b ? 1 : 0;
            case ">=" -> a >= b ? 1 : 0;
            case "<<" -> a << b;
            case ">>" -> a >> b;
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/", "%" -> {
                if (b == 0) throw error("division by zero in #if expression");
                yield op.equals("/") ? a / b : a % b;
            }
            default -> throw error("operator " + op);
        };
    }

    private long unary() {
        skipSpace();
        if (pos >= text.length()) throw error("#if expression ends too early");
        char c = text.charAt(pos);
        switch (c) {
            case '!':
                pos++;
                return unary() == 0 ? 1 : 0;
            case '~':
                pos++;
                return ~unary();
            case '-':
                pos++;
                return -unary();
            case '+':
                pos++;
                return unary();
            case '(':
                pos++;
                long v = binary(0);
                expect(')');
                return v;
            default:
                break;
        }
        if (Character.isDigit(c)) return number();
        if (Character.isLetter(c) || c == '_') {
            String name = word();
            if (name.equals("defined")) {
                skipSpace();
                boolean paren = pos < text.length() && text.charAt(pos) == '(';
                if (paren) pos++;
                skipSpace();
                String macro = word();
                if (macro.isEmpty()) throw error("defined needs a macro name");
                if (paren) expect(')');
                return macros.containsKey(macro) ? 1 : 0;
            }
            Macro m = macros.get(name);
            if (m == null || m.functionLike() || m.value().isBlank() || expanding.contains(name)) return 0;
            Set<String> inner = new HashSet<>(expanding);
            inner.add(name);
            return new ConditionEvaluator(m.value(), macros, at, inner).evaluate();
        }
        throw error("unexpected '" + c + "' in #if expression");
    }

    private long number() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) pos++;
        String n = text.substring(start, pos).replaceAll("[uUlL]+$", "");
        try {
            if (n.startsWith("0x") || n.startsWith("0X")) return Long.parseUnsignedLong(n.substring(2), 16);
            if (n.length() > 1 && n.startsWith("0")) return Long.parseLong(n.substring(1), 8);
            return Long.parseLong(n);
        } catch (NumberFormatException e) {
            throw error("bad number " + n + " in #if expression");
        }
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        return text.substring(start, pos);
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) throw error("'" + c + "' expected in #if expression");
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private CompileException error(String message) {
        return new CompileException(at, message);
    }
}
