package org.rxrpc.transport.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens an endpoint's socket: the native one where it loaded and is wanted, else NIO. */
public final class Sockets {
    private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);
    private static volatile boolean toldUnavailable;

    private Sockets() {}

    public static DatagramIo open(String bindAddress, int port, int socketBufferBytes, boolean preferNative) {
        return open(bindAddress, port, socketBufferBytes, preferNative, false);
    }

    /**
     * @param reusePort one of several sockets of an endpoint sharing its port (SO_REUSEPORT): native only,
     *     since the group's steering is a BPF program
     */
    public static DatagramIo open(
            String bindAddress, int port, int socketBufferBytes, boolean preferNative, boolean reusePort) {
        if (reusePort) {
            if (!NativeDatagramIo.available()) {
                throw new IllegalStateException("more than one I/O thread needs the native socket, unavailable: "
                        + NativeDatagramIo.unavailableReason());
            }
            return new NativeDatagramIo(bindAddress, port, socketBufferBytes, true);
        }
        if (preferNative) {
            if (NativeDatagramIo.available()) return new NativeDatagramIo(bindAddress, port, socketBufferBytes);
            if (!toldUnavailable) {
                toldUnavailable = true;
                LOG.info(
                        "native socket unavailable ({}): Java's DatagramChannel it is",
                        NativeDatagramIo.unavailableReason());
            }
        }
        return new NioDatagramIo(bindAddress, port, socketBufferBytes);
    }
}
