package org.rxrpc.rxgen.ast;

import org.rxrpc.rxgen.Location;

/** {@code const NAME = value;}: value is a number, another constant's name, or a string literal with quotes. */
public record ConstDef(String name, String value, Location location, String doc) implements Definition {}
