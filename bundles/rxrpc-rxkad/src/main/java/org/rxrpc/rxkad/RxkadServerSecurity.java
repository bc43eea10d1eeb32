package org.rxrpc.rxkad;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServerConnectionSecurity;
import org.rxrpc.security.ServerSecurity;

/**
 * rxkad for a service: its keys, its minimum level, and the rules a client's ticket must meet. Makes one
 * {@link RxkadServerConnection} per connection ahead of time ({@link #newConnectionState()}). Thread-safe.
 *
 * <p>Accepts what OpenAFS and Linux clients send: version-2 responses, DES-sealed tickets under the kvno
 * the response names (kvno honoured, as OpenAFS), Kerberos 5 tickets (kvno 256: a whole Ticket; 213: its
 * enc-part) with AES keys, lifetimes in OpenAFS's encoding (a superset of Linux's), 15 minutes of clock
 * skew. Its challenges announce level 0, as Linux's do, and a response below {@link #minimumLevel()} is
 * refused with RXKADLEVELFAIL: so a Linux client below the minimum gets an abort instead of silence.
 */
public final class RxkadServerSecurity implements ServerSecurity {
    private final ServerKeySource keys;
    private final int minimumLevel;
    private final LongSupplier nowSeconds;
    private final byte[][] acceptedCells;
    private final boolean rejectDottedNames;
    private final SecureRandom random;

    /** Per thread (the I/O threads): the scratch a RESPONSE is decoded in, so connections hold none. */
    private static final ThreadLocal<ResponseScratch> SCRATCH = ThreadLocal.withInitial(ResponseScratch::new);

    static final class ResponseScratch {
        final byte[] head = new byte[RxkadResponse.HEADER_LENGTH];
        final byte[] ticket = new byte[DesTicket.MAX_LENGTH];
        final byte[] plain = new byte[DesTicket.MAX_LENGTH];
    }

    private RxkadServerSecurity(Builder b) {
        this.keys = b.keys;
        this.minimumLevel = b.minimumLevel;
        this.nowSeconds = b.nowSeconds;
        this.acceptedCells = b.acceptedCells.toArray(new byte[0][]);
        this.rejectDottedNames = b.rejectDottedNames;
        this.random = b.random;
    }

    /** A service's rxkad with keys from {@code keys}; level clear and every cell accepted unless set. */
    public static Builder builder(ServerKeySource keys) {
        return new Builder(keys);
    }

    /** Settings of {@link RxkadServerSecurity}. */
    public static final class Builder {
        private final ServerKeySource keys;
        private int minimumLevel = SecurityLevels.CLEAR;
        private LongSupplier nowSeconds = () -> System.currentTimeMillis() / 1000;
        private final List<byte[]> acceptedCells = new ArrayList<>();
        private boolean rejectDottedNames = true;
        private SecureRandom random;

        private Builder(ServerKeySource keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        /** The lowest level a client may choose (default clear). */
        public Builder minimumLevel(int level) {
            if (level < SecurityLevels.CLEAR || level > SecurityLevels.CRYPT) {
                throw new IllegalArgumentException("minimum level must be 0 (clear), 1 (auth) or 2 (crypt): " + level);
            }
            this.minimumLevel = level;
            return this;
        }

        /**
         * Cells (Kerberos realms) whose clients are accepted besides the local one (a ticket naming no cell,
         * as OpenAFS's own tickets do); a ticket of any other is refused with RXKADNOAUTH. By default every
         * cell is accepted, as OpenAFS's rxkad does (it leaves foreign users to the service).
         */
        public Builder acceptedCells(String... cells) {
            for (String c : cells) acceptedCells.add(c.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** The clock, Unix seconds (tests). */
        public Builder clock(LongSupplier nowSeconds) {
            this.nowSeconds = Objects.requireNonNull(nowSeconds);
            return this;
        }

        /**
         * Whether a Kerberos 5 client name whose first component holds a dot is refused (default true, as
         * OpenAFS unless {@code -allow-dotted-principals}).
         */
        public Builder rejectDottedNames(boolean reject) {
            this.rejectDottedNames = reject;
            return this;
        }

        /** The source of challenge nonces (default a new SecureRandom). */
        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        public RxkadServerSecurity build() {
            if (random == null) random = new SecureRandom();
            return new RxkadServerSecurity(this);
        }
    }

    @Override
    public int index() {
        return RXKAD_INDEX;
    }

    @Override
    public String name() {
        return "rxkad";
    }

    @Override
    public int minimumLevel() {
        return minimumLevel;
    }

    @Override
    public boolean requiresChallenge() {
        return true;
    }

    /** A state for one future connection; draws its nonce key here, on the caller's (charging) thread. */
    @Override
    public ServerConnectionSecurity newConnectionState() {
        synchronized (random) {
            return new RxkadServerConnection(this, random.nextLong(), random.nextInt());
        }
    }

    ServerKeyRing currentKeys() {
        ServerKeyRing ring = keys.keys();
        return ring != null ? ring : ServerKeyRing.EMPTY;
    }

    long now() {
        return nowSeconds.getAsLong();
    }

    boolean rejectDottedNames() {
        return rejectDottedNames;
    }

    /** Whether a ticket's cell is acceptable: none named (local), or every cell accepted, or one of the list. */
    boolean acceptsCell(TicketContents t) {
        if (acceptedCells.length == 0 || t.cellLength == 0) return true;
        for (byte[] c : acceptedCells) if (t.cellEquals(c)) return true;
        return false;
    }

    static ResponseScratch scratch() {
        return SCRATCH.get();
    }

    @Override
    public String toString() {
        return "RxkadServerSecurity[minimum " + SecurityLevels.name(minimumLevel) + ", keys " + currentKeys() + "]";
    }
}
