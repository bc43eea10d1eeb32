package org.rxrpc.rxgen.java;

/** Builds a Java source file with four-space indentation and Javadoc from .xg comments. */
final class SourceWriter {
    private final StringBuilder b = new StringBuilder();
    private int indent;

    /** Writes a line; a line ending in '{' opens a block, one starting with '}' closes one. */
    SourceWriter line(String text) {
        if (text.startsWith("}") || text.startsWith(")")) indent--;
        if (!text.isEmpty()) b.append("    ".repeat(Math.max(indent, 0))).append(text);
        b.append('\n');
        if (text.endsWith("{")) indent++;
        return this;
    }

    /**
     * Writes {@code head(a, b, c)tail}, one item a line when the one-line form would be over 120 characters.
     */
    SourceWriter wrapped(String head, java.util.List<String> items, String tail) {
        String pad = "    ".repeat(Math.max(indent, 0));
        String oneLine = head + "(" + String.join(", ", items) + ")" + tail;
        if (pad.length() + oneLine.length() <= 120 || items.size() < 2) return line(oneLine);
        b.append(pad).append(head).append("(\n");
        for (int i = 0; i < items.size(); i++) {
            b.append(pad).append("        ").append(items.get(i));
            b.append(i < items.size() - 1 ? ",\n" : ")" + tail + "\n");
        }
        if (tail.endsWith("{")) indent++;
        return this;
    }

    /** Appends the last line to the one before it ("x -> {}" then ", in -> {" become one line). */
    void joinLastTwoLines() {
        int end = b.length() - 1;
        int lastStart = b.lastIndexOf("\n", end - 1) + 1;
        String last = b.substring(lastStart, end).strip();
        b.setLength(lastStart - 1);
        b.append(", ").append(last).append('\n');
    }

    SourceWriter blank() {
        b.append('\n');
        return this;
    }

    /** Writes each line of a multi-line fragment. */
    SourceWriter lines(String fragment) {
        for (String l : fragment.split("\n", -1)) {
            if (!l.isEmpty()) line(l);
        }
        return this;
    }

    /** A Javadoc comment; nothing when the text is empty. */
    SourceWriter javadoc(String text) {
        if (text == null || text.isBlank()) return this;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            // our own "@param name" tags stay tags; everything else from .xg comments is plain text
            lines[i] = l.startsWith("@param ") ? "@param " + escape(l.substring(7)) : escape(l);
        }
        if (lines.length == 1 && lines[0].length() < 90) {
            line("/** " + lines[0] + " */");
            return this;
        }
        line("/**");
        for (String l : lines) line(l.isEmpty() ? " *" : " * " + l);
        line(" */");
        return this;
    }

    /** Comment text made safe for Javadoc: no HTML, no tags, no comment end. */
    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("@", "&#64;")
                .replace("*/", "*&#47;")
                .replace("\\u", "\\\\u");
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
