package org.rxrpc.rxgen.java;

/** One generated Java source: its path under the output folder and its text. */
public record GeneratedFile(String path, String content) {}
