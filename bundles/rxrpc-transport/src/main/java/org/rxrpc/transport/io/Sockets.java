package org.rxrpc.transport.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens an endpoint's socket: the native one where it loaded and is wanted, else NIO. */
public final class Sockets {
    private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);
    private static volatile boolean toldUnavailable;

    private Sockets() {}

    public static DatagramIo open(String bindAddress, int port, int socketBufferBytes, boolean preferNative) {
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
