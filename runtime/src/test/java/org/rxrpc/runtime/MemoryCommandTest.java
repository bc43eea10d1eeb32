package org.rxrpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `memory` holds its calls live to a silent loopback port and prints one line with the heap per call. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryCommandTest {
    private static final Pattern LINE = Pattern.compile(
            "heap in use after a full GC: \\d+ KiB before, \\d+ KiB with (\\d+) live calls \\((\\d+) still live"
                    + " at the measurement; 4 calls a connection\\): (-?\\d+) bytes per live call");

    private static List<String> run(int expectedCode, String... args) {
        PrintStream outBefore = System.out;
        PrintStream errBefore = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedCode, Main.execute(args), out.toString(StandardCharsets.UTF_8));
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        } finally {
            System.setOut(outBefore);
            System.setErr(errBefore);
        }
    }

    @Test
    void everyCallIsLiveWhenMeasuredAndTheLineSaysWhatEachHolds() {
        List<String> lines = run(0, "memory", "--calls", "200");
        String line = lines.stream()
                .filter(l -> l.startsWith("heap in use"))
                .findFirst()
                .orElse("");
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), lines.toString());
        assertEquals("200", m.group(1));
        assertEquals("200", m.group(2), "all still live when measured");
    }

    @Test
    void aCountOutOfRangeExits2WithOneLine() {
        assertEquals(List.of("memory: --calls must be 1..100000, not 0"), run(2, "memory", "--calls", "0"));
    }
}
