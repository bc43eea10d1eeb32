package org.rxrpc.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a service accepts: the security classes (one {@link ServerSecurity} per index) and a minimum level
 * for the classes with levels. The null class, when accepted, is not held to it (as OpenAFS servers accept
 * index 0 beside rxkad for some calls); a service that wants every call protected does not accept index 0. A connection under another index is refused (OpenAFS's raw ABORT RX_INVALID_OPERATION);
 * one whose response chose a level below {@link #minimumLevel(int)} is aborted with RXKADLEVELFAIL.
 * Immutable.
 */
public final class ServiceSecurity {
    /** The null class only (index 0): what a service gets when it says nothing. */
    public static final ServiceSecurity NULL_ONLY =
            new ServiceSecurity(SecurityLevels.CLEAR, List.of(NullSecurity.INSTANCE));

    /**
     * No class at all: every new connection is refused as one under an unknown class is (a service whose
     * classes all went away, until one comes back: {@link org.rxrpc.api.RxService#changeSecurity}).
     */
    public static final ServiceSecurity NONE = new ServiceSecurity(SecurityLevels.CLEAR, List.of());

    private final int minimumLevel;
    private final List<ServerSecurity> classes;
    private final ServerSecurity[] byIndex = new ServerSecurity[256];

    private ServiceSecurity(int minimumLevel, List<ServerSecurity> classes) {
        this.minimumLevel = minimumLevel;
        this.classes = classes;
        for (ServerSecurity s : classes) byIndex[s.index()] = s;
    }

    /**
     * A service accepting {@code classes} at {@code minimumLevel} or above.
     *
     * @throws IllegalArgumentException if no class is given, two share an index, an index is outside 0..255,
     *     or the level is not clear, auth or crypt
     */
    public static ServiceSecurity of(int minimumLevel, ServerSecurity... classes) {
        if (minimumLevel < SecurityLevels.CLEAR || minimumLevel > SecurityLevels.CRYPT) {
            throw new IllegalArgumentException(
                    "minimum level must be 0 (clear), 1 (auth) or 2 (crypt): " + minimumLevel);
        }
        if (classes.length == 0) throw new IllegalArgumentException("a service accepts at least one security class");
        List<ServerSecurity> list = new ArrayList<>();
        boolean[] seen = new boolean[256];
        for (ServerSecurity s : classes) {
            Objects.requireNonNull(s, "security class");
            int i = s.index();
            if (i < 0 || i > 255) throw new IllegalArgumentException("security index outside 0..255: " + i);
            if (seen[i]) throw new IllegalArgumentException("two security classes with index " + i);
            seen[i] = true;
            list.add(s);
        }
        return new ServiceSecurity(minimumLevel, Collections.unmodifiableList(list));
    }

    /** The service-wide minimum level (each class may demand more: {@link ServerSecurity#minimumLevel()}). */
    public int minimumLevel() {
        return minimumLevel;
    }

    /**
     * The lowest level a connection under {@code index} may run at: the higher of the two minimums; clear
     * for the null class.
     */
    public int minimumLevel(int index) {
        if (index == SecurityClass.NULL_INDEX) return SecurityLevels.CLEAR;
        ServerSecurity s = forIndex(index);
        return s == null ? minimumLevel : Math.max(minimumLevel, s.minimumLevel());
    }

    /** The class accepted under {@code index} (the header's securityIndex), or null. */
    public ServerSecurity forIndex(int index) {
        return index >= 0 && index < byIndex.length ? byIndex[index] : null;
    }

    /** The accepted classes, in the order given. */
    public List<ServerSecurity> classes() {
        return classes;
    }

    /** Whether any accepted class has a challenge and response (so connections need handshake state). */
    public boolean requiresChallenge() {
        for (ServerSecurity s : classes) {
            if (s.requiresChallenge()) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ServiceSecurity[minimum ").append(SecurityLevels.name(minimumLevel));
        for (ServerSecurity s : classes)
            b.append(", ").append(s.index()).append(' ').append(s.name());
        return b.append(']').toString();
    }
}
