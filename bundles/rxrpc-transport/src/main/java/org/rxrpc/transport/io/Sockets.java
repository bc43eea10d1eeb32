package org.rxrpc.transport.io;

/** Opens an endpoint's socket: the native one where it loaded and is wanted, else NIO. */
public final class Sockets {
    private Sockets() {}

    public static DatagramIo open(String bindAddress, int port, int socketBufferBytes, boolean preferNative) {
        return new NioDatagramIo(bindAddress, port, socketBufferBytes);
    }
}
