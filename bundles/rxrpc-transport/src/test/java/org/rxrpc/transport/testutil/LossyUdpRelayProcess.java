package org.rxrpc.transport.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * {@link LossyUdpRelay} as a process of its own, for tests whose server runs elsewhere (the soak runs
 * its server in Felix): {@code java -cp bundles/rxrpc-transport/target/test-classes
 * org.rxrpc.transport.testutil.LossyUdpRelayProcess TARGET_PORT LOSS DUPLICATE REORDER SEED}. It prints
 * {@code relay PORT}, relays until its standard input closes (its parent ended), then prints its counters.
 */
public final class LossyUdpRelayProcess {
    private LossyUdpRelayProcess() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: LossyUdpRelayProcess TARGET_PORT LOSS DUPLICATE REORDER SEED");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        try (LossyUdpRelay relay = LossyUdpRelay.start(
                target,
                Long.parseLong(args[4]),
                Double.parseDouble(args[1]),
                Double.parseDouble(args[2]),
                Double.parseDouble(args[3]))) {
            System.out.println("relay " + relay.address().getPort());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // "stats" lines or anything else: the parent is alive; EOF ends the relay
                System.out.println("to server " + relay.toTarget() + ", from server " + relay.fromTarget()
                        + ", clients " + relay.clientCount());
                System.out.flush();
                in.skip(in.available());
            }
            System.out.println("relay done: to server " + relay.toTarget() + ", from server " + relay.fromTarget()
                    + ", clients " + relay.clientCount() + ", send failures " + relay.sendFailures());
        }
    }
}
