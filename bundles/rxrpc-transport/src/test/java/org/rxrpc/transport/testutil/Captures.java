package org.rxrpc.transport.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The OpenAFS loopback captures copied into {@code src/test/resources/captures/} (see
 * /work/shared/data/openafs-captures/README-annotated.txt for what each datagram is), loaded from the
 * test classpath so tests need nothing outside the module.
 */
public final class Captures {

    public static final String A_SINGLE_RPC = "A_single_rpc.pcap";
    public static final String B_THREE_RPCS = "B_three_rpcs.pcap";
    public static final String C_NEWCONN_TWO = "C_newconn_two.pcap";
    public static final String D_CMDEBUG = "D_cmdebug.pcap";
    public static final String E_RXDEBUG = "E_rxdebug.pcap";
    public static final String H_IDLE_CONN_70S = "H_idle_conn_70s.pcap";
    /** The 1 MiB send (635 datagrams), gzipped: read it with {@link #udpGzipped}. */
    public static final String F_SEND_1MIB_GZ = "F_send_1MiB.pcap.gz";

    private Captures() {}

    /** Path of a capture on the test classpath, e.g. {@code path(Captures.A_SINGLE_RPC)}. */
    public static Path path(String fileName) {
        URL url = Captures.class.getResource("/captures/" + fileName);
        if (url == null) {
            throw new IllegalArgumentException("no capture on the test classpath: /captures/" + fileName);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url.toString(), e);
        }
    }

    /** The UDP datagrams of a gzipped capture on the test classpath. */
    public static List<PcapReader.UdpDatagram> udpGzipped(String fileName) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path(fileName)))) {
            return PcapReader.readUdp(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The UDP datagrams of a capture on the test classpath. */
    public static List<PcapReader.UdpDatagram> udp(String fileName) {
        try {
            return PcapReader.readUdp(path(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
