package org.rxrpc.runtime.felix;

import java.util.function.Consumer;

/** SIGINT (Ctrl-C) and SIGTERM handled by the program instead of the JVM's default (exit 130 / 143). */
final class Signals {
    private Signals() {}

    /** Calls {@code handler} with the signal's name on each SIGINT or SIGTERM, where the JVM allows it. */
    @SuppressWarnings("restriction")
    static void onStop(Consumer<String> handler) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept("SIG" + s.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not on this platform, or the JVM runs with -Xrs: the shutdown hook still stops cleanly
            }
        }
    }
}
