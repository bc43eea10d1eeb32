package org.rxrpc.transport.testutil;

import java.util.List;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;

/** Server keys, services and client tokens of the rxkad tests that name who calls. */
public final class RxkadTestKeys {
    private RxkadTestKeys() {}

    /** DES key 0123456789abcdef under kvno 7. */
    public static final ServerKey KEY =
            ServerKey.des(7, new byte[] {1, 35, 69, 103, (byte) 137, (byte) 171, (byte) 205, (byte) 239});
    /** Another DES key, fedcba9876543210 under kvno 4 (a rotated key). */
    public static final ServerKey OTHER_KEY =
            ServerKey.des(4, new byte[] {(byte) 254, (byte) 220, (byte) 186, (byte) 152, 118, 84, 50, 16});

    /** A service accepting the null class and rxkad under {@code key}, at minimum clear. */
    public static ServiceSecurity nullAndRxkad(ServerKey key) {
        return ServiceSecurity.of(
                SecurityLevels.CLEAR,
                NullSecurity.INSTANCE,
                RxkadServerSecurity.builder(new ServerKeyRing(List.of(key))).build());
    }

    /** A new client class (so a new connection) with a token for {@code name.instance@cell} under {@code key}. */
    public static RxkadClientSecurity as(ServerKey key, String name, String instance, String cell, int level) {
        long now = System.currentTimeMillis() / 1000;
        return new RxkadClientSecurity(LocalAuth.mint(key, name, instance, cell, now, 3600), level);
    }
}
