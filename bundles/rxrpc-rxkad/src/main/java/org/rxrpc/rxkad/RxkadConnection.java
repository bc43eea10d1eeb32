package org.rxrpc.rxkad;

import static org.rxrpc.security.SecurityAbortCodes.RXKADDATALEN;
import static org.rxrpc.security.SecurityAbortCodes.RXKADSEALEDINCON;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.rxrpc.security.ConnectionSecurity;
import org.rxrpc.security.SecurityClass;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.SecurityLevels;

/**
 * The per-packet transforms of one rxkad connection, both sides (OpenAFS rxkad_common.c, Linux rxkad.c):
 * the header checksum from the connection's checksum key, and the auth and crypt levels' sealed header.
 * Keyed once per connection from the session key; allocates nothing.
 */
abstract class RxkadConnection implements ConnectionSecurity {
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Auth level: one word, {sequence check, length}, sealed with the first data word (8 bytes ECB). */
    static final int AUTH_HEADER = 4;
    /** Crypt level: two words ({sequence check, length}, 0), the whole body PCBC-encrypted. */
    static final int CRYPT_HEADER = 8;

    private static final SecurityFailure BAD_CHECKSUM =
            new SecurityFailure(RXKADSEALEDINCON, "header checksum does not match");
    private static final SecurityFailure BAD_SEQUENCE =
            new SecurityFailure(RXKADSEALEDINCON, "sealed sequence check does not match the header");
    private static final SecurityFailure SHORT_BODY =
            new SecurityFailure(RXKADSEALEDINCON, "DATA body too short for its security header");
    private static final SecurityFailure BAD_LENGTH =
            new SecurityFailure(RXKADDATALEN, "sealed length exceeds the packet");

    final Fcrypt fcrypt = new Fcrypt(0L);
    long sessionKey;
    private long checksumKey;
    int level;

    /** Keys this connection: the session key, and the checksum key bound to {@code (epoch, cid & ~3)}. */
    final void key(long sessionKey, int epoch, int cid) {
        this.sessionKey = sessionKey;
        fcrypt.setKey(sessionKey);
        // PCBC of {epoch, cid & ~3, 0, securityIndex} from the session key; the second block is the key.
        long first = ((long) epoch << 32) | ((cid & ~3) & 0xFFFFFFFFL);
        long cipher1 = fcrypt.encrypt(first ^ sessionKey);
        long second = SecurityClass.RXKAD_INDEX & 0xFFFFFFFFL;
        checksumKey = fcrypt.encrypt(second ^ first ^ cipher1);
    }

    /** Throws if the connection may no longer carry packets (a server's client whose ticket expired). */
    abstract void checkUsable() throws SecurityFailure;

    @Override
    public final int level() {
        return level;
    }

    @Override
    public final int securityHeaderSize() {
        return headerSize(level);
    }

    static int headerSize(int level) {
        return level == SecurityLevels.CRYPT ? CRYPT_HEADER : level == SecurityLevels.AUTH ? AUTH_HEADER : 0;
    }

    @Override
    public final int maxDataPerPacket(int bodyCapacity) {
        switch (level) {
            case SecurityLevels.AUTH:
                return Math.min(0xFFFF, bodyCapacity - AUTH_HEADER);
            case SecurityLevels.CRYPT:
                return Math.min(0xFFFF, (bodyCapacity & ~7) - CRYPT_HEADER);
            default:
                return bodyCapacity;
        }
    }

    @Override
    public final int securedLength(int dataLength) {
        switch (level) {
            case SecurityLevels.AUTH:
                return Math.max(8, dataLength + AUTH_HEADER);
            case SecurityLevels.CRYPT:
                return (dataLength + CRYPT_HEADER + 7) & ~7;
            default:
                return dataLength;
        }
    }

    /**
     * {callNumber, channel << 30 | seq} XOR the checksum key, encrypted; the top 16 bits of the second
     * word, 0 sent as 1 (0 means "no checksum").
     */
    @Override
    public final int headerChecksum(int epoch, int cid, int callNumber, int seq) {
        long words = ((long) callNumber << 32) | ((((cid & 3L) << 30) | (seq & 0x3FFFFFFFL)));
        int sum = (int) (fcrypt.encrypt(words ^ checksumKey) >>> 16) & 0xFFFF;
        return sum == 0 ? 1 : sum;
    }

    private static int sealedWord(int callNumber, int seq, int dataLength) {
        return (((seq ^ callNumber) & 0xFFFF) << 16) | (dataLength & 0xFFFF);
    }

    @Override
    public final int secure(
            byte[] body, int offset, int dataLength, int epoch, int cid, int callNumber, int seq, int serial)
            throws SecurityFailure {
        checkUsable();
        if (dataLength < 0 || dataLength > 0xFFFF) {
            throw new IllegalArgumentException("DATA length out of range: " + dataLength);
        }
        switch (level) {
            case SecurityLevels.AUTH: {
                int n = Math.max(8, dataLength + AUTH_HEADER);
                INT_BE.set(body, offset, sealedWord(callNumber, seq, dataLength));
                Arrays.fill(body, offset + AUTH_HEADER + dataLength, offset + n, (byte) 0);
                Fcrypt.putBlock(body, offset, fcrypt.encrypt(Fcrypt.block(body, offset)));
                return n;
            }
            case SecurityLevels.CRYPT: {
                int n = (dataLength + CRYPT_HEADER + 7) & ~7;
                INT_BE.set(body, offset, sealedWord(callNumber, seq, dataLength));
                INT_BE.set(body, offset + 4, 0);
                Arrays.fill(body, offset + CRYPT_HEADER + dataLength, offset + n, (byte) 0);
                fcrypt.encryptPcbc(body, offset, n, sessionKey);
                return n;
            }
            default:
                return dataLength;
        }
    }

    @Override
    public final int verify(
            byte[] body, int offset, int length, int epoch, int cid, int callNumber, int seq, int serial, int checksum)
            throws SecurityFailure {
        checkUsable();
        if (checksum != headerChecksum(epoch, cid, callNumber, seq)) throw BAD_CHECKSUM;
        int header;
        switch (level) {
            case SecurityLevels.AUTH:
                if (length < 8) throw SHORT_BODY;
                Fcrypt.putBlock(body, offset, fcrypt.decrypt(Fcrypt.block(body, offset)));
                header = AUTH_HEADER;
                break;
            case SecurityLevels.CRYPT:
                if (length < 8 || (length & 7) != 0) throw SHORT_BODY;
                fcrypt.decryptPcbc(body, offset, length, sessionKey);
                header = CRYPT_HEADER;
                break;
            default:
                return length;
        }
        int word = (int) INT_BE.get(body, offset);
        if ((word >>> 16) != ((seq ^ callNumber) & 0xFFFF)) throw BAD_SEQUENCE;
        int dataLength = word & 0xFFFF;
        if (dataLength > length - header) throw BAD_LENGTH;
        return dataLength;
    }
}
