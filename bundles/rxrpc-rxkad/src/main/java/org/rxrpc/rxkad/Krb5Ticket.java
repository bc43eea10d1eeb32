package org.rxrpc.rxkad;

import static org.rxrpc.security.SecurityAbortCodes.RXKADBADTICKET;
import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADNOAUTH;
import static org.rxrpc.security.SecurityAbortCodes.RXKADUNKNOWNKEY;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rxrpc.security.SecurityFailure;

/**
 * Kerberos 5 tickets in rxkad responses, as OpenAFS's ticket5.c accepts them: kvno 256 carries a whole
 * {@code Ticket} (RFC 4120), kvno 213 only its {@code EncryptedData}. The enc-part is decrypted with the
 * server's Kerberos key of that kvno and enctype (aes128/aes256-cts-hmac-sha1-96 here), and the
 * {@code EncTicketPart} gives the client, the times and the session key; an AES session key becomes the
 * rxkad DES key by OpenAFS's {@code tkt_DeriveDesKey} (NIST SP800-108 counter mode over HMAC-MD5, label
 * "rxkad"). The DER is read by our own small reader ({@link Der}): four structures do not justify an ASN.1
 * library in the bundle, and ours reads nothing outside the ticket's bounds.
 */
public final class Krb5Ticket {
    private Krb5Ticket() {}

    /** RFC 4120 key usage of a ticket's enc-part. */
    static final int KEY_USAGE_TICKET = 2;

    static final SecurityFailure MALFORMED = new SecurityFailure(RXKADBADTICKET, "Kerberos 5 ticket does not decode");
    static final SecurityFailure UNKNOWN_KEY =
            new SecurityFailure(RXKADUNKNOWNKEY, "no server key for the Kerberos 5 ticket's kvno and enctype");
    static final SecurityFailure INVALID = new SecurityFailure(RXKADNOAUTH, "Kerberos 5 ticket marked invalid");
    static final SecurityFailure EXPIRED = new SecurityFailure(RXKADEXPIRED, "Kerberos 5 ticket expired");
    static final SecurityFailure DOTTED =
            new SecurityFailure(RXKADBADTICKET, "Kerberos 5 client name with a dot in its first component");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'");

    /**
     * Decodes a Kerberos 5 ticket into {@code out} (times are checked by the caller too).
     *
     * @param wholeTicket true for kvno 256 (a {@code Ticket}), false for 213 (an {@code EncryptedData})
     */
    public static void decode(
            byte[] ticket,
            int off,
            int length,
            boolean wholeTicket,
            ServerKeyRing keys,
            long nowSeconds,
            boolean rejectDottedNames,
            TicketContents out)
            throws SecurityFailure {
        out.clear();
        byte[] decrypted;
        try {
            Der encPart;
            Der top = new Der(ticket, off, length);
            if (wholeTicket) {
                Der t = top.read(Der.application(1)).read(Der.SEQUENCE);
                if (t.contextInteger(0) != 5) throw MALFORMED;
                t.read(Der.context(1));
                t.read(Der.context(2));
                encPart = t.read(Der.context(3)).read(Der.SEQUENCE);
            } else {
                encPart = top.read(Der.SEQUENCE);
            }
            int etype = (int) encPart.contextInteger(0);
            Der kvnoElement = encPart.optional(Der.context(1));
            int kvno = kvnoElement == null
                    ? 0
                    : (int) kvnoElement.read(Der.INTEGER).integer();
            Der cipher = encPart.read(Der.context(2)).read(Der.OCTET_STRING);
            if (!KerberosAes.supports(etype)) throw UNKNOWN_KEY;
            ServerKey key = keys.krb5(kvno, etype);
            if (key == null || key.keyBytes().length != KerberosAes.keyLength(etype)) throw UNKNOWN_KEY;
            decrypted = KerberosAes.decrypt(
                    key.keyBytes(), KEY_USAGE_TICKET, cipher.array(), cipher.offset(), cipher.length());
        } catch (Der.Malformed | GeneralSecurityException e) {
            throw MALFORMED;
        }
        if (decrypted == null || decrypted.length > DesTicket.MAX_LENGTH) throw MALFORMED;
        try {
            readEncTicketPart(decrypted, rejectDottedNames, nowSeconds, out);
        } catch (Der.Malformed | DateTimeParseException | GeneralSecurityException e) {
            throw MALFORMED;
        }
    }

    private static void readEncTicketPart(byte[] plain, boolean rejectDottedNames, long now, TicketContents out)
            throws Der.Malformed, GeneralSecurityException, SecurityFailure {
        Der part = new Der(plain, 0, plain.length).read(Der.application(3)).read(Der.SEQUENCE);
        Der flags = part.read(Der.context(0)).read(Der.BIT_STRING);
        boolean invalid = flags.length() >= 2 && (flags.array()[flags.offset() + 1] & 0x01) != 0;
        Der key = part.read(Der.context(1)).read(Der.SEQUENCE);
        int keyType = (int) key.contextInteger(0);
        Der keyValue = key.read(Der.context(1)).read(Der.OCTET_STRING);
        String realm = part.contextString(2);
        Der name = part.read(Der.context(3)).read(Der.SEQUENCE);
        name.read(Der.context(0));
        Der components = name.read(Der.context(1)).read(Der.SEQUENCE);
        String[] parts = new String[2];
        int count = 0;
        while (components.hasMore()) {
            String c = components.read(Der.GENERAL_STRING).text();
            if (count == 2) throw MALFORMED;
            parts[count++] = c;
        }
        if (count == 0) throw MALFORMED;
        if (rejectDottedNames && parts[0].indexOf('.') >= 0) throw DOTTED;
        part.read(Der.context(4));
        long authTime = time(part.read(Der.context(5)).read(Der.GENERALIZED_TIME));
        Der startElement = part.optional(Der.context(6));
        long endTime = time(part.read(Der.context(7)).read(Der.GENERALIZED_TIME));

        put(out.name, parts[0], 1);
        out.nameLength = parts[0].getBytes(StandardCharsets.UTF_8).length;
        String instance = count == 2 ? parts[1] : "";
        put(out.instance, instance, 0);
        out.instanceLength = instance.getBytes(StandardCharsets.UTF_8).length;
        put(out.cell, realm, 0);
        out.cellLength = realm.getBytes(StandardCharsets.UTF_8).length;
        out.sessionKey = desKeyOf(keyType, keyValue);
        out.start = startElement != null ? time(startElement.read(Der.GENERALIZED_TIME)) : authTime;
        out.end = endTime;
        if (invalid) throw INVALID;
        if (now > endTime) throw EXPIRED;
    }

    private static void put(byte[] into, String s, int minLength) throws SecurityFailure {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < minLength || b.length >= TicketContents.MAX_COMPONENT) throw MALFORMED;
        System.arraycopy(b, 0, into, 0, b.length);
    }

    private static long time(Der t) {
        return LocalDateTime.parse(t.text(), TIME).toEpochSecond(ZoneOffset.UTC);
    }

    /** The rxkad session key of a Kerberos session key: a DES key as is, anything else derived. */
    private static long desKeyOf(int keyType, Der value) throws GeneralSecurityException, SecurityFailure {
        byte[] k = java.util.Arrays.copyOfRange(value.array(), value.offset(), value.offset() + value.length());
        if (keyType == 1 || keyType == 2 || keyType == 3) {
            if (k.length != 8) throw MALFORMED;
            return Fcrypt.block(k, 0);
        }
        if (!KerberosAes.supports(keyType) || k.length != KerberosAes.keyLength(keyType)) throw MALFORMED;
        return deriveDesKey(k);
    }

    /**
     * OpenAFS's {@code tkt_DeriveDesKey} for non-DES session keys: HMAC-MD5(key, i || "rxkad\0" ||
     * 00000040) for i = 1, 2, ..., the first 8 bytes with odd parity, the first that is not a weak key.
     */
    static long deriveDesKey(byte[] key) throws GeneralSecurityException {
        Mac md5 = Mac.getInstance("HmacMD5");
        md5.init(new SecretKeySpec(key, "HmacMD5"));
        byte[] label = "rxkad\0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i < 256; i++) {
            md5.update((byte) i);
            md5.update(label);
            md5.update(new byte[] {0, 0, 0, 64});
            long candidate = DesKeys.withOddParity(Fcrypt.block(md5.doFinal(), 0));
            if (!DesKeys.isWeak(candidate)) return candidate;
        }
        throw new GeneralSecurityException("no DES key derivable");
    }
}
