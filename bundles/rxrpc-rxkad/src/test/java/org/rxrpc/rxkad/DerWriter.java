package org.rxrpc.rxkad;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DER encoding for test tickets (what a KDC would send). */
final class DerWriter {
    private DerWriter() {}

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) content.writeBytes(p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.size();
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    static byte[] integer(long v) {
        int n = 1;
        while (n < 8 && (v >= (1L << (8 * n - 1)) || v < -(1L << (8 * n - 1)))) n++;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (v >>> (8 * (n - 1 - i)));
        return tlv(Der.INTEGER, b);
    }

    static byte[] ctx(int n, byte[]... parts) {
        return tlv(Der.context(n), parts);
    }

    static byte[] string(String s) {
        return tlv(Der.GENERAL_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] time(long unixSeconds) {
        String t = java.time.format.DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'")
                .format(java.time.LocalDateTime.ofEpochSecond(unixSeconds, 0, java.time.ZoneOffset.UTC));
        return tlv(Der.GENERALIZED_TIME, t.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] principal(String... components) {
        byte[][] names = new byte[components.length][];
        for (int i = 0; i < components.length; i++) names[i] = string(components[i]);
        return tlv(Der.SEQUENCE, ctx(0, integer(1)), ctx(1, tlv(Der.SEQUENCE, names)));
    }

    /** An EncTicketPart; {@code flagsByte1} holds flags 0-7 (0x01: invalid). */
    static byte[] encTicketPart(
            int flagsByte1, int keyType, byte[] sessionKey, String realm, String[] name, long auth, long end) {
        return tlv(
                Der.application(3),
                tlv(
                        Der.SEQUENCE,
                        ctx(0, tlv(Der.BIT_STRING, new byte[] {0, (byte) flagsByte1, 0, 0, 0})),
                        ctx(1, tlv(Der.SEQUENCE, ctx(0, integer(keyType)), ctx(1, tlv(Der.OCTET_STRING, sessionKey)))),
                        ctx(2, string(realm)),
                        ctx(3, principal(name)),
                        ctx(4, tlv(Der.SEQUENCE, ctx(0, integer(1)), ctx(1, tlv(Der.OCTET_STRING)))),
                        ctx(5, time(auth)),
                        ctx(7, time(end))));
    }

    static byte[] encryptedData(int etype, int kvno, byte[] cipher) {
        return tlv(Der.SEQUENCE, ctx(0, integer(etype)), ctx(1, integer(kvno)), ctx(2, tlv(Der.OCTET_STRING, cipher)));
    }

    static byte[] ticket(String realm, byte[] encryptedData) {
        return tlv(
                Der.application(1),
                tlv(
                        Der.SEQUENCE,
                        ctx(0, integer(5)),
                        ctx(1, string(realm)),
                        ctx(2, principal("afs", "example.test")),
                        ctx(3, encryptedData)));
    }
}
