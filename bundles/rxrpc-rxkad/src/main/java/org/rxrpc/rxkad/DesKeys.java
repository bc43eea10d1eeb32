package org.rxrpc.rxkad;

import java.security.SecureRandom;

/** DES key facts rxkad relies on: odd parity, the 16 weak and semi-weak keys, random session keys. */
public final class DesKeys {
    private DesKeys() {}

    private static final long[] WEAK = {
        0x0101010101010101L, 0xFEFEFEFEFEFEFEFEL, 0x1F1F1F1F0E0E0E0EL, 0xE0E0E0E0F1F1F1F1L,
        0x01FE01FE01FE01FEL, 0xFE01FE01FE01FE01L, 0x1FE01FE00EF10EF1L, 0xE01FE01FF10EF10EL,
        0x01E001E001F101F1L, 0xE001E001F101F101L, 0x1FFE1FFE0EFE0EFEL, 0xFE1FFE1FFE0EFE0EL,
        0x011F011F010E010EL, 0x1F011F010E010E01L, 0xE0FEE0FEF1FEF1FEL, 0xFEE0FEE0FEF1FEF1L
    };

    /** Whether every byte of {@code key} has odd parity. */
    public static boolean hasOddParity(long key) {
        for (int i = 0; i < 8; i++) {
            if ((Integer.bitCount((int) (key >>> (8 * i)) & 0xFF) & 1) == 0) return false;
        }
        return true;
    }

    /** {@code key} with each byte's low bit set for odd parity. */
    public static long withOddParity(long key) {
        long out = 0;
        for (int i = 7; i >= 0; i--) {
            int b = (int) (key >>> (8 * i)) & 0xFE;
            if ((Integer.bitCount(b) & 1) == 0) b |= 1;
            out = (out << 8) | b;
        }
        return out;
    }

    /** Whether {@code key} is one of DES's weak or semi-weak keys (parity bits ignored). */
    public static boolean isWeak(long key) {
        long k = withOddParity(key);
        for (long w : WEAK) if (w == k) return true;
        return false;
    }

    /** A random DES key with odd parity that is not weak, as a session key. */
    public static long randomSessionKey(SecureRandom random) {
        while (true) {
            long k = withOddParity(random.nextLong());
            if (!isWeak(k)) return k;
        }
    }
}
