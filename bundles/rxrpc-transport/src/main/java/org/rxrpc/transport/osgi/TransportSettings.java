package org.rxrpc.transport.osgi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.EndpointOptions.DebugAnswers;
import org.rxrpc.api.RxEndpoint;

/**
 * The settings of PID {@value TransportComponent#PID}, checked in one place: each key's type here, each
 * value's range by {@link EndpointOptions} (whose messages name the setting, the value and the range), the
 * same ranges the metatype ({@link TransportConfiguration}) declares (a test holds them to it). A
 * configuration with a bad value is refused whole, so that the one running goes on.
 *
 * @param endpoint the endpoint settings every shared endpoint gets (its port aside)
 * @param defaultBacklog the backlog of a service that asks for none
 */
record TransportSettings(EndpointOptions endpoint, int defaultBacklog) {
    static final int DEFAULT_BACKLOG = 8;

    enum Kind {
        TEXT,
        INT,
        LONG,
        BOOLEAN,
        DEBUG_ANSWERS
    }

    /** A key and how to set it. */
    private record Key(Kind kind, BiConsumer<EndpointOptions.Builder, Object> set) {}

    /** Every key of the PID, in the metatype's order. */
    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("bindAddress", new Key(Kind.TEXT, (b, v) -> b.bindAddress((String) v)));
        KEYS.put("defaultBacklog", new Key(Kind.INT, (b, v) -> {}));
        KEYS.put("deadTimeMillis", new Key(Kind.LONG, (b, v) -> b.deadTimeMillis((Long) v)));
        KEYS.put("idleTimeoutMillis", new Key(Kind.LONG, (b, v) -> b.idleTimeoutMillis((Long) v)));
        KEYS.put("connectionIdleMillis", new Key(Kind.LONG, (b, v) -> b.connectionIdleMillis((Long) v)));
        KEYS.put("receiveWindow", new Key(Kind.INT, (b, v) -> b.receiveWindow((Integer) v)));
        KEYS.put("sendWindow", new Key(Kind.INT, (b, v) -> b.sendWindow((Integer) v)));
        KEYS.put("socketBufferBytes", new Key(Kind.INT, (b, v) -> b.socketBufferBytes((Integer) v)));
        KEYS.put("packetBuffers", new Key(Kind.INT, (b, v) -> b.packetBuffers((Integer) v)));
        KEYS.put("newCallDeferMillis", new Key(Kind.LONG, (b, v) -> b.newCallDeferMillis((Long) v)));
        KEYS.put("maxConnections", new Key(Kind.INT, (b, v) -> b.maxConnections((Integer) v)));
        KEYS.put("maxPeers", new Key(Kind.INT, (b, v) -> b.maxPeers((Integer) v)));
        KEYS.put("nativeIo", new Key(Kind.BOOLEAN, (b, v) -> b.nativeIo((Boolean) v)));
        KEYS.put("serviceDrainMillis", new Key(Kind.LONG, (b, v) -> b.serviceDrainMillis((Long) v)));
        KEYS.put("debugAnswers", new Key(Kind.DEBUG_ANSWERS, (b, v) -> b.debugAnswers((DebugAnswers) v)));
        KEYS.put("debugAnswersPerSecond", new Key(Kind.INT, (b, v) -> b.debugAnswersPerSecond((Integer) v)));
        KEYS.put("ioThreads", new Key(Kind.INT, (b, v) -> b.ioThreads((Integer) v)));
        KEYS.put("challengeTimeoutMillis", new Key(Kind.LONG, (b, v) -> b.challengeTimeoutMillis((Long) v)));
    }

    /** The defaults: what runs when no configuration (or only a refused one) was given. */
    static TransportSettings defaults() {
        return new TransportSettings(EndpointOptions.defaults(), DEFAULT_BACKLOG);
    }

    /** The keys this PID knows. */
    static List<String> keys() {
        return new ArrayList<>(KEYS.keySet());
    }

    /**
     * What a configuration says.
     *
     * @param settings the settings, or null if a value is bad
     * @param problems one phrase per bad value, naming the key, the value and what is allowed
     * @param unknown keys that are not settings of this PID (framework keys aside)
     */
    record Parsed(TransportSettings settings, List<String> problems, List<String> unknown) {}

    static Parsed parse(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        EndpointOptions.Builder all = EndpointOptions.builder();
        int backlog = DEFAULT_BACKLOG;
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String name = e.getKey();
            Key key = KEYS.get(name);
            if (key == null) {
                if (!frameworkKey(name)) unknown.add(name);
                continue;
            }
            Object value;
            try {
                value = typed(key.kind(), e.getValue());
            } catch (IllegalArgumentException ex) {
                problems.add(name + " = '" + e.getValue() + "' " + ex.getMessage());
                continue;
            }
            if (name.equals("defaultBacklog")) {
                int b = (Integer) value;
                if (b < 1 || b > RxEndpoint.MAX_BACKLOG) {
                    problems.add("defaultBacklog must be 1.." + RxEndpoint.MAX_BACKLOG + ", not " + b);
                } else {
                    backlog = b;
                }
                continue;
            }
            // Each value alone against EndpointOptions' own check, so that every bad one is named.
            try {
                EndpointOptions.Builder one = EndpointOptions.builder();
                key.set().accept(one, value);
                one.build();
                key.set().accept(all, value);
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        if (!problems.isEmpty()) return new Parsed(null, problems, unknown);
        try {
            return new Parsed(new TransportSettings(all.build(), backlog), problems, unknown);
        } catch (IllegalArgumentException ex) {
            problems.add(ex.getMessage());
            return new Parsed(null, problems, unknown);
        }
    }

    /** A value as the key's type: numbers and booleans may come as text (.cfg files give text). */
    static Object typed(Kind kind, Object v) {
        if (v == null) throw new IllegalArgumentException("is empty");
        String text = v.toString().trim();
        switch (kind) {
            case TEXT:
                return text;
            case DEBUG_ANSWERS:
                if (v instanceof DebugAnswers) return v;
                try {
                    return DebugAnswers.valueOf(text.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("must be ALL, LOCAL or NONE");
                }
            case BOOLEAN:
                if (v instanceof Boolean) return v;
                if (text.equalsIgnoreCase("true")) return Boolean.TRUE;
                if (text.equalsIgnoreCase("false")) return Boolean.FALSE;
                throw new IllegalArgumentException("must be true or false");
            case INT:
            case LONG:
                long n;
                if (v instanceof Number && !(v instanceof Double || v instanceof Float)) {
                    n = ((Number) v).longValue();
                } else {
                    try {
                        n = Long.parseLong(text);
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("is not a whole number");
                    }
                }
                if (kind == Kind.INT) {
                    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)
                        throw new IllegalArgumentException("is too large");
                    return (int) n;
                }
                return n;
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** Keys Config Admin, DS, FileInstall or Karaf put into every configuration. */
    static boolean frameworkKey(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("service.")
                || n.startsWith("component.")
                || n.startsWith("felix.")
                || n.startsWith("osgi.")
                || n.startsWith("org.apache.karaf.")
                || n.startsWith(".");
    }

    /** The port-free endpoint settings for a port. */
    EndpointOptions forPort(int port) {
        return endpoint.toBuilder().port(port).build();
    }
}
