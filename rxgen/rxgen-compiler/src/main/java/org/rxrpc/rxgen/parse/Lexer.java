package org.rxrpc.rxgen.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Location;

/**
 * Splits preprocessed lines into tokens as rxgen's scanner does (a number may start with {@code -}; hex
 * with {@code 0x}), expands object-like macros, skips {@code @{ ... @}} verbatim blocks and keeps
 * comments: each is attached to the token after it, or, when it starts on the line where a token ended, to
 * that token as a trailing comment.
 */
public final class Lexer {
    private final List<SourceLine> lines;
    private final Map<String, Macro> macros;
    private final List<Token> tokens = new ArrayList<>();
    private final List<String> pendingComments = new ArrayList<>();

    private Lexer(List<SourceLine> lines, Map<String, Macro> macros) {
        this.lines = lines;
        this.macros = macros;
    }

    public static List<Token> tokenize(List<SourceLine> lines, Map<String, Macro> macros) {
        Lexer lexer = new Lexer(lines, macros);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        StringBuilder comment = null;
        Location commentStart = null;
        boolean verbatim = false;
        for (SourceLine line : lines) {
            String s = line.text();
            int i = 0;
            while (i < s.length()) {
                if (comment != null) {
                    int end = s.indexOf("*/", i);
                    if (end < 0) {
                        comment.append(s, i, s.length()).append('\n');
                        i = s.length();
                    } else {
                        comment.append(s, i, end);
                        addComment(comment.toString(), commentStart);
                        comment = null;
                        i = end + 2;
                    }
                    continue;
                }
                if (verbatim) {
                    int end = s.indexOf("@}", i);
                    if (end < 0) {
                        i = s.length();
                    } else {
                        verbatim = false;
                        i = end + 2;
                    }
                    continue;
                }
                char c = s.charAt(i);
                Location at = new Location(line.file(), line.number(), i + 1);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (s.startsWith("/*", i)) {
                    comment = new StringBuilder();
                    commentStart = at;
                    i += 2;
                } else if (s.startsWith("//", i)) {
                    addComment(s.substring(i + 2), at);
                    i = s.length();
                } else if (s.startsWith("@{", i)) {
                    verbatim = true;
                    i += 2;
                } else if (c == '"') {
                    int end = s.indexOf('"', i + 1);
                    if (end < 0) throw new CompileException(at, "unterminated string constant");
                    add(new Token(Token.Kind.STRING, s.substring(i, end + 1), at, line.number()));
                    i = end + 1;
                } else if (Character.isDigit(c)
                        || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int end = i + 1;
                    if (c == '0' && end < s.length() && (s.charAt(end) == 'x' || s.charAt(end) == 'X')) {
                        end++;
                        while (end < s.length() && isHexDigit(s.charAt(end))) end++;
                    } else {
                        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
                    }
                    add(new Token(Token.Kind.NUMBER, s.substring(i, end), at, line.number()));
                    i = end;
                } else if (Character.isLetter(c) || c == '_') {
                    int end = i + 1;
                    while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))
                        end++;
                    identifier(s.substring(i, end), at, line.number(), new HashSet<>());
                    i = end;
                } else if (":;,=*[]{}()<>".indexOf(c) >= 0) {
                    add(new Token(Token.Kind.PUNCT, String.valueOf(c), at, line.number()));
                    i++;
                } else {
                    throw new CompileException(at, "illegal character in file: '" + c + "'");
                }
            }
        }
        if (comment != null) throw new CompileException(commentStart, "unterminated comment");
        Location end = endOfInput();
        Token eof = new Token(Token.Kind.EOF, "", end, end.line());
        eof.leading.addAll(pendingComments);
        tokens.add(eof);
    }

    /** Just after the last character of the last non-blank line. */
    private Location endOfInput() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            SourceLine l = lines.get(i);
            if (!l.text().isBlank())
                return new Location(
                        l.file(), l.number(), l.text().stripTrailing().length() + 1);
        }
        return lines.isEmpty()
                ? new Location("<input>", 1, 1)
                : new Location(lines.get(0).file(), 1, 1);
    }

    /** An identifier, replaced by its macro's tokens (located at the identifier) when it names one. */
    private void identifier(String name, Location at, int lineNo, Set<String> expanding) {
        Macro m = macros.get(name);
        if (m == null || m.functionLike() || expanding.contains(name)) {
            add(new Token(Token.Kind.IDENT, name, at, lineNo));
            return;
        }
        expanding.add(name);
        List<Token> expansion = tokenize(List.of(new SourceLine(at.file(), at.line(), m.value())), Map.of());
        for (Token t : expansion) {
            if (t.kind == Token.Kind.EOF) break;
            if (t.kind == Token.Kind.IDENT) identifier(t.text, at, lineNo, expanding);
            else add(new Token(t.kind, t.text, at, lineNo));
        }
        expanding.remove(name);
    }

    private void add(Token t) {
        t.leading.addAll(pendingComments);
        pendingComments.clear();
        tokens.add(t);
    }

    private void addComment(String raw, Location at) {
        String text = clean(raw);
        if (text.isEmpty() || text.contains("Copyright")) return; // licence headers are not documentation
        Token previous = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        if (previous != null
                && previous.endLine == at.line()
                && previous.location.file().equals(at.file())) {
            previous.trailing.add(text);
        } else {
            pendingComments.add(text);
        }
    }

    /** The comment's words: no delimiters, no leading '*' columns, no blank edges. */
    static String clean(String raw) {
        StringBuilder b = new StringBuilder();
        for (String l : raw.split("\n", -1)) {
            String t = l.strip();
            while (t.startsWith("*")) t = t.substring(1).strip();
            if (t.endsWith("*")) t = t.replaceAll("\\*+$", "").strip();
            if (!t.isEmpty()) {
                if (b.length() > 0) b.append('\n');
                b.append(t);
            }
        }
        return b.toString();
    }

    private static boolean isHexDigit(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
