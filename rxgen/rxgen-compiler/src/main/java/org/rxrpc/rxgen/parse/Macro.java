package org.rxrpc.rxgen.parse;

import org.rxrpc.rxgen.Location;

/**
 * A {@code #define}. Only object-like macros are expanded; function-like ones are only "defined" (for
 * {@code #ifdef}), as no interface file calls one where rxgen reads.
 *
 * @param fromInterface defined in an interface file (not a C header): its numeric value becomes a Java constant
 */
public record Macro(String name, String value, boolean functionLike, boolean fromInterface, Location location) {}
