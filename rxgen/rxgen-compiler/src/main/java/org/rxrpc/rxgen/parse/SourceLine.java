package org.rxrpc.rxgen.parse;

/**
 * One line the preprocessor kept: its text and where it came from. {@code headerOnly} lines never
 * reach the lexer (C headers only contribute macros).
 */
public record SourceLine(String file, int number, String text) {}
