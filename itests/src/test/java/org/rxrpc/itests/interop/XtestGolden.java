package org.rxrpc.itests.interop;

import java.util.List;
import java.util.UUID;
import org.rxrpc.itests.xtest.Aggregate;
import org.rxrpc.itests.xtest.Color;
import org.rxrpc.itests.xtest.Node;
import org.rxrpc.itests.xtest.Scalars;
import org.rxrpc.itests.xtest.Shape;

/**
 * The golden values of everything.xg, built in Java independently of {@code src/test/c/xtest_golden.h}:
 * values at every bound. Each side checks what it decodes against its own copy.
 */
final class XtestGolden {
    private XtestGolden() {}

    static final int UNBOUNDED_COUNT = 1000;
    static final int BULK_BYTES = 5000;

    static Scalars scalars() {
        return new Scalars(
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                0xFFFFFFFF, // afs_uint32 max
                0x80000000,
                1,
                Long.MIN_VALUE,
                0xFFFFFFFFFFFFFFFFL, // afs_uint64 max
                (byte) -128,
                (byte) 255,
                (byte) 0,
                Short.MIN_VALUE,
                (short) 65535,
                (short) 32767,
                true,
                UUID.fromString("8a3c1f2e-9234-4bcd-8e9f-a1b2c3d4e5f6"));
    }

    static Scalars scalars2() {
        return new Scalars(
                0,
                -1,
                0,
                0,
                0,
                Long.MAX_VALUE,
                0,
                (byte) 127,
                (byte) 0,
                (byte) 255,
                Short.MAX_VALUE,
                (short) 0,
                (short) 65535,
                false,
                new UUID(0, 0));
    }

    static Aggregate aggregate() {
        int[] counted = new int[8];
        for (int i = 0; i < 8; i++) counted[i] = i + 1;
        int[] unbounded = new int[UNBOUNDED_COUNT];
        for (int i = 0; i < UNBOUNDED_COUNT; i++) unbounded[i] = i * 7 - 3500;
        byte[] someBytes = new byte[12];
        for (int i = 0; i < 12; i++) someBytes[i] = (byte) i;
        int[] ids = {0xFFFFFFFF, 0, 1, 2, 3, 4, 5, 0x80000000};
        byte[] data = new byte[64];
        for (int i = 0; i < 64; i++) data[i] = (byte) (i * 3);
        return new Aggregate(
                new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE},
                counted,
                unbounded,
                "abcdefghijklmno", // char[16]: 15 characters and the NUL
                "0123456789abcdefghijklmnopqrstuv", // string<32>: 32 bytes
                new byte[] {0, 1, 0x7f, (byte) 0x80, (byte) 0xff},
                someBytes,
                "",
                ids,
                List.of(scalars(), scalars2()),
                Color.BLUE,
                new Node(1, new Node(2, new Node(3, null))),
                scalars2(),
                data);
    }

    /** 0: RED, 1: GREEN, 2: BLUE (void), 3: the default arm (kind 99). */
    static Shape shape(int which) {
        return switch (which) {
            case 0 -> new Shape.Red(Integer.MIN_VALUE);
            case 1 -> new Shape.Green("the label is thirty-two bytes...");
            case 2 -> new Shape.Blue();
            default -> {
                byte[] other = new byte[8];
                for (int i = 0; i < 8; i++) other[i] = (byte) (0xF0 + i);
                yield new Shape.Default(99, other);
            }
        };
    }

    static byte bulkByte(int i) {
        return (byte) (i * 31);
    }
}
