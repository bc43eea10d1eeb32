package org.rxrpc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxStats;
import picocli.CommandLine.TypeConversionException;

class MainTest {

    @Test
    void runIsTheDefaultCommand() {
        assertArrayEquals(new String[] {"run"}, Main.withDefaultCommand(new String[0]));
        assertArrayEquals(
                new String[] {"run", "--rxperf-port", "1"},
                Main.withDefaultCommand(new String[] {"--rxperf-port", "1"}));
        assertArrayEquals(
                new String[] {"serve", "--port", "1"}, Main.withDefaultCommand(new String[] {"serve", "--port", "1"}));
        assertArrayEquals(new String[] {"rxperf"}, Main.withDefaultCommand(new String[] {"rxperf"}));
        assertArrayEquals(new String[] {"--help"}, Main.withDefaultCommand(new String[] {"--help"}));
    }

    @Test
    void sizesTakeSuffixes() {
        assertEquals(4, ByteSizeConverter.parse("4"));
        assertEquals(1024, ByteSizeConverter.parse("1K"));
        assertEquals(1 << 20, ByteSizeConverter.parse("1M"));
        assertEquals(1 << 20, ByteSizeConverter.parse("1m"));
        assertEquals(1 << 20, ByteSizeConverter.parse("1MiB"));
        assertEquals(1 << 30, ByteSizeConverter.parse("1G"));
        assertEquals(4, ByteSizeConverter.parse("4B"));
        assertThrows(TypeConversionException.class, () -> ByteSizeConverter.parse("2G"));
        assertThrows(TypeConversionException.class, () -> ByteSizeConverter.parse("-1"));
        assertThrows(TypeConversionException.class, () -> ByteSizeConverter.parse("x"));
        assertThrows(TypeConversionException.class, () -> ByteSizeConverter.parse("999999999999G"));
    }

    @Test
    void serverAddresses() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.1", 7009), RxperfCommand.parseServer("127.0.0.1"));
        assertEquals(new InetSocketAddress("127.0.0.1", 17009), RxperfCommand.parseServer("127.0.0.1:17009"));
        assertEquals(new InetSocketAddress("::1", 17009), RxperfCommand.parseServer("[::1]:17009"));
        assertThrows(IllegalArgumentException.class, () -> RxperfCommand.parseServer("127.0.0.1:0"));
        assertThrows(IllegalArgumentException.class, () -> RxperfCommand.parseServer("127.0.0.1:x"));
    }

    @Test
    void statsLineCountsAllocationInTheWindowOnly() {
        RxStats start = stats(25_000, 1_000_000, Map.of());
        RxStats now = stats(35_000, 1_002_000, Map.of(-6, 2L));
        String line = ServeCommand.statsLine(now, start, 35_000, 12.34);
        assertTrue(
                line.startsWith("STATS calls_made_live=35000 busy_sent=0 drops=0 io_thread_allocated_bytes=1002000 "
                        + "io_bytes_per_incoming_call=0.2 alloc_window_calls=10000 alloc_window_bytes=2000 "),
                line);
        assertTrue(line.contains(" aborts_sent=-6:2 "), line);
        assertTrue(line.endsWith(" uptime_s=12.3"), line);
        String before = ServeCommand.statsLine(start, null, 25_000, 1);
        assertTrue(before.contains(" io_bytes_per_incoming_call=n/a alloc_window_calls=0 "), before);
    }

    private static RxStats stats(long live, long allocated, Map<Integer, Long> abortsSent) {
        long[] v = new long[Counter.maxId() + 1];
        v[Counter.CALLS_MADE_LIVE.id()] = live;
        v[Counter.IO_THREAD_ALLOCATED_BYTES.id()] = allocated;
        return new RxStats(v, abortsSent, Map.of());
    }
}
