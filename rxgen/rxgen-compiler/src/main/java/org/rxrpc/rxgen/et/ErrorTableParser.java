package org.rxrpc.rxgen.et;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Location;

/**
 * Reads an {@code .et} file as OpenAFS's compile_et does ({@code src/comerr/error_table.y}, {@code
 * et_lex.lex.l}): {@code error_table [N] NAME}, entries {@code ec NAME, "message"} or
 * {@code ec NAME = INDEX, "message"}, {@code end}; {@code #} starts a comment line. The base code is the
 * table name in six bits a character ({@code A-Z} 1-26, {@code a-z} 27-52, digits 53-62, {@code _} 63, at
 * most four characters) shifted left by eight, in 32-bit arithmetic.
 */
public final class ErrorTableParser {
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";

    private record Tok(String text, boolean quoted, Location at) {}

    private final List<Tok> toks = new ArrayList<>();
    private int pos;

    private ErrorTableParser() {}

    public static ErrorTableDef parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CompileException(new Location(file.toString(), 1, 1), "cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static ErrorTableDef parse(String name, String text) {
        ErrorTableParser p = new ErrorTableParser();
        p.lex(name, text);
        return p.table(name);
    }

    /** compile_et's base code for a table name. */
    public static int base(String tableName, Location at) {
        String name = tableName.length() > 4 ? tableName.substring(0, 4) : tableName;
        int number = 0;
        for (int i = 0; i < name.length(); i++) {
            int n = CHARSET.indexOf(name.charAt(i)) + 1;
            if (n == 0)
                throw new CompileException(at, "Illegal character '" + name.charAt(i) + "' in error table name");
            if (i == 0 && n > 52)
                throw new CompileException(at, "First character of error table name must be a letter");
            number = (number << 6) + n;
        }
        return number << 8;
    }

    private void lex(String file, String text) {
        String[] lines = text.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String s = lines[l];
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                Location at = new Location(file, l + 1, i + 1);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#') {
                    break;
                } else if (c == '"') {
                    int end = s.indexOf('"', i + 1);
                    if (end < 0) throw new CompileException(at, "unterminated message string");
                    toks.add(new Tok(s.substring(i + 1, end), true, at));
                    i = end + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_') {
                    int end = i;
                    while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))
                        end++;
                    toks.add(new Tok(s.substring(i, end), false, at));
                    i = end;
                } else {
                    toks.add(new Tok(String.valueOf(c), false, at));
                    i++;
                }
            }
        }
        int last = lines.length - 1;
        while (last > 0 && lines[last].isBlank()) last--;
        toks.add(new Tok("", false, new Location(file, last + 1, lines[last].length() + 1)));
    }

    private ErrorTableDef table(String file) {
        Tok t = next();
        if (!t.text.equals("error_table") && !t.text.equals("et")) throw error(t, "expected 'error_table'");
        Tok name = word("table name");
        if (peek().quoted || peek().text.isEmpty() || !isWord(peek())) throw error(peek(), "expected an 'ec' entry");
        if (!peek().text.equals("ec")
                && !peek().text.equals("error_code")
                && !peek().text.equals("end")) {
            // "error_table 2 ZCM": a table function number, then the name
            if (!name.text.chars().allMatch(Character::isDigit))
                throw error(name, "Table function must be a decimal integer");
            name = word("table name");
        }
        int base = base(name.text, name.at);
        List<ErrorTableDef.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        while (true) {
            Tok k = next();
            if (k.text.equals("end") && !k.quoted) break;
            if (!k.text.equals("ec") && !k.text.equals("error_code")) {
                throw error(
                        k, "expected 'ec' or 'end', found " + (k.text.isEmpty() ? "end of file" : "'" + k.text + "'"));
            }
            Tok code = word("error code name");
            if (peek().text.equals("=")) {
                next();
                Tok n = word("error code index");
                int wanted;
                try {
                    wanted = Integer.parseInt(n.text);
                } catch (NumberFormatException e) {
                    throw error(n, "error code index must be a number");
                }
                if (wanted < index) throw error(n, "Error code " + code.text + " (" + wanted + ") out of order");
                index = wanted;
            }
            Tok comma = next();
            if (!comma.text.equals(",") || comma.quoted) throw error(comma, "expected ','");
            Tok message = next();
            if (!message.quoted) throw error(message, "expected a quoted message");
            if (!names.add(code.text)) throw error(code, code.text + " defined twice");
            entries.add(new ErrorTableDef.Entry(index++, code.text, message.text));
        }
        if (entries.isEmpty()) throw error(name, "error table " + name.text + " has no entries");
        return new ErrorTableDef(name.text, base, List.copyOf(entries), file);
    }

    private static boolean isWord(Tok t) {
        return !t.quoted
                && !t.text.isEmpty()
                && (Character.isLetterOrDigit(t.text.charAt(0)) || t.text.charAt(0) == '_');
    }

    private Tok peek() {
        return toks.get(pos);
    }

    private Tok next() {
        Tok t = toks.get(pos);
        if (pos < toks.size() - 1) pos++;
        return t;
    }

    private Tok word(String what) {
        Tok t = next();
        if (!isWord(t)) throw error(t, what + " expected");
        return t;
    }

    private static CompileException error(Tok t, String message) {
        return new CompileException(t.at, message);
    }
}
