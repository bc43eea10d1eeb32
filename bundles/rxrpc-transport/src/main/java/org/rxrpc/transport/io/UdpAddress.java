package org.rxrpc.transport.io;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A UDP address (IPv4 or IPv6, and a port) as a mutable value, so that the I/O thread can receive,
 * compare, key and copy addresses without allocating. An {@link InetSocketAddress} is made only when
 * someone asks for one (the API), or kept when the JDK already made it (the NIO receive path).
 *
 * <p>The {@link #key()} is exact for IPv4 and a hash for IPv6: tables keyed by it compare with
 * {@link #sameAs} as well.
 */
public final class UdpAddress {
    private static final long V4_TAG = 1L << 48;

    private boolean v6;
    private final byte[] bytes = new byte[16];
    private int port;
    private long key;
    private volatile InetSocketAddress socketAddress;

    /** An IPv4 address, {@code ip} in network order as an int (a.b.c.d = a << 24 | ...). */
    public void setV4(int ip, int udpPort) {
        v6 = false;
        bytes[0] = (byte) (ip >>> 24);
        bytes[1] = (byte) (ip >>> 16);
        bytes[2] = (byte) (ip >>> 8);
        bytes[3] = (byte) ip;
        port = udpPort;
        key = V4_TAG | ((ip & 0xFFFFFFFFL) << 16) | udpPort;
        socketAddress = null;
    }

    /** An IPv6 address: 16 bytes from {@code src} at {@code offset}. */
    public void setV6(byte[] src, int offset, int udpPort) {
        v6 = true;
        System.arraycopy(src, offset, bytes, 0, 16);
        port = udpPort;
        long h = udpPort;
        for (int i = 0; i < 16; i++) h = h * 31 + bytes[i];
        key = h & ~V4_TAG; // never equal to an IPv4 key
        socketAddress = null;
    }

    /** From a socket address the JDK made (kept, so sending to it allocates nothing more). */
    public void set(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet4Address) {
            setV4(ip.hashCode(), a.getPort()); // Inet4Address.hashCode() is its address
        } else {
            setV6(ip.getAddress(), 0, a.getPort());
        }
        socketAddress = a;
    }

    public void copyFrom(UdpAddress o) {
        v6 = o.v6;
        System.arraycopy(o.bytes, 0, bytes, 0, 16);
        port = o.port;
        key = o.key;
        socketAddress = o.socketAddress;
    }

    public boolean sameAs(UdpAddress o) {
        if (key != o.key || v6 != o.v6 || port != o.port) return false;
        if (!v6) return true; // the key holds the whole IPv4 address and port
        return Arrays.equals(bytes, o.bytes);
    }

    public long key() {
        return key;
    }

    public boolean isV6() {
        return v6;
    }

    public int port() {
        return port;
    }

    /** The IPv4 address as an int in network order (meaningless for IPv6). */
    public int ipv4() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    /** Byte {@code i} of the address (0..3 for IPv4, 0..15 for IPv6). */
    public byte byteAt(int i) {
        return bytes[i];
    }

    /** The address as the JDK knows it; made on first use (not on the I/O thread's hot path). */
    public InetSocketAddress toSocketAddress() {
        InetSocketAddress a = socketAddress;
        if (a == null) {
            try {
                InetAddress ip = v6
                        ? Inet6Address.getByAddress(null, bytes.clone(), null)
                        : InetAddress.getByAddress(Arrays.copyOf(bytes, 4));
                a = new InetSocketAddress(ip, port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen: the lengths are right
            }
            socketAddress = a;
        }
        return a;
    }

    @Override
    public String toString() {
        return toSocketAddress().toString();
    }
}
