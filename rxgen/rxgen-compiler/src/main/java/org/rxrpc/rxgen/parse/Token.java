package org.rxrpc.rxgen.parse;

import java.util.ArrayList;
import java.util.List;
import org.rxrpc.rxgen.Location;

/** A token with the comments around it: those on lines before it, and those after it on its own line. */
public final class Token {
    public enum Kind {
        IDENT,
        NUMBER,
        STRING,
        PUNCT,
        EOF
    }

    public final Kind kind;
    public final String text;
    public final Location location;
    final List<String> leading = new ArrayList<>();
    final List<String> trailing = new ArrayList<>();
    /** The source line the token ends on (for trailing comments). */
    final int endLine;

    Token(Kind kind, String text, Location location, int endLine) {
        this.kind = kind;
        this.text = text;
        this.location = location;
        this.endLine = endLine;
    }

    public boolean is(String s) {
        return kind != Kind.STRING && text.equals(s);
    }

    /** How an error message names this token. */
    String describe() {
        return kind == Kind.EOF ? "end of file" : "'" + text + "'";
    }

    @Override
    public String toString() {
        return kind + " " + text + " at " + location;
    }
}
