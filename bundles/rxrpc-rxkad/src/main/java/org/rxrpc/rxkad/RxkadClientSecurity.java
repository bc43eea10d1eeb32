package org.rxrpc.rxkad;

import java.util.Objects;
import java.util.function.LongSupplier;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.SecurityLevels;

/**
 * rxkad for a client: a {@link Token} and the level to ask for (OpenAFS
 * {@code rxkad_NewClientSecurityObject}). Thread-safe; makes one {@link RxkadClientConnection} per
 * connection.
 */
public final class RxkadClientSecurity implements ClientSecurity {
    private final Token token;
    private final int level;
    private final LongSupplier nowSeconds;

    public RxkadClientSecurity(Token token, int level) {
        this(token, level, () -> System.currentTimeMillis() / 1000);
    }

    /** With a clock (Unix seconds) for the token's expiry (tests). */
    public RxkadClientSecurity(Token token, int level, LongSupplier nowSeconds) {
        if (level < SecurityLevels.CLEAR || level > SecurityLevels.CRYPT) {
            throw new IllegalArgumentException("level must be 0 (clear), 1 (auth) or 2 (crypt): " + level);
        }
        this.token = Objects.requireNonNull(token);
        this.level = level;
        this.nowSeconds = Objects.requireNonNull(nowSeconds);
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
    public int level() {
        return level;
    }

    @Override
    public boolean answersChallenges() {
        return true;
    }

    public Token token() {
        return token;
    }

    @Override
    public ClientConnectionSecurity newConnection(int epoch, int cid) {
        return new RxkadClientConnection(token, level, epoch, cid, nowSeconds);
    }

    @Override
    public String toString() {
        return "RxkadClientSecurity[" + SecurityLevels.name(level) + ", " + token + "]";
    }
}
