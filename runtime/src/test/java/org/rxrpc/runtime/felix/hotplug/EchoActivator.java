package org.rxrpc.runtime.felix.hotplug;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of the third-party bundle the hot-plug tests build (DeployFolderTest packs this class
 * file into a jar of its own making). On start it serves UDP on 127.0.0.1, at the port of its manifest
 * header {@value #PORT_HEADER}: every datagram is answered with the bundle's symbolic name and version,
 * so a test sees from outside which version runs. It prints a line when it starts and when it stops.
 * No inner classes: the jar holds this one class file.
 */
public final class EchoActivator implements BundleActivator {
    public static final String PORT_HEADER = "X-Echo-Port";

    private DatagramSocket socket;
    private Thread server;
    private String name;

    @Override
    public void start(BundleContext context) throws IOException {
        int port = Integer.parseInt(
                context.getBundle().getHeaders().get(PORT_HEADER).trim());
        name = context.getBundle().getSymbolicName() + " " + context.getBundle().getVersion();
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
        byte[] reply = name.getBytes(StandardCharsets.UTF_8);
        DatagramSocket s = socket;
        server = new Thread(() -> serve(s, reply), "hotplug-echo-" + port);
        server.setDaemon(true);
        server.start();
        System.out.println("hotplug: " + name + " serving udp 127.0.0.1:" + port);
    }

    private static void serve(DatagramSocket s, byte[] reply) {
        byte[] buf = new byte[64];
        while (!s.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in);
                s.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        socket.close();
        server.join(5000);
        System.out.println("hotplug: " + name + " stopped");
    }
}
