package org.rxrpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.runtime.felix.FelixLauncher;

/** Bad command-line values are refused up front: exit code 2 and one line naming the option and the value. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandLineRefusesBadValuesTest {
    @TempDir
    Path temp;

    /** Runs the launcher in this JVM; returns the exit code and what it printed to stderr (and stdout). */
    private static Run run(String... args) {
        PrintStream errBefore = System.err;
        PrintStream outBefore = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(
                    code,
                    err.toString(StandardCharsets.UTF_8).lines().toList(),
                    out.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setErr(errBefore);
            System.setOut(outBefore);
        }
    }

    private record Run(int code, List<String> lines, List<String> out) {}

    @Test
    void bindThatIsNotAnAddressOfThisMachineExits2WithOneLine() {
        Run r = run("run", "--bind", "notanip");
        assertEquals(2, r.code(), r.lines().toString());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(
                r.lines().get(0).startsWith("run: --bind: bindAddress must be an address of this machine")
                        && r.lines().get(0).endsWith("not 'notanip': unknown host"),
                r.lines().get(0));
    }

    @Test
    void rxkadKeyFolderWithoutKeysOrABadLevelExits2WithOneLine() {
        Run serve = run("serve", "--port", "0", "--rxkad-keys", temp.toString(), "--min-level", "crypt");
        assertEquals(2, serve.code(), serve.lines().toString());
        // the key folder logs what it found (no key) before the refusal
        assertEquals(
                "serve: --rxkad-keys/--min-level: no rxkad key in " + temp,
                serve.lines().get(serve.lines().size() - 1));
        Run level = run("rxperf", "--rxkad-keys", temp.toString(), "--level", "secret");
        assertEquals(2, level.code(), level.lines().toString());
        assertEquals(
                List.of("rxperf: --rxkad-keys/--level: level must be clear, auth or crypt, not 'secret'"),
                level.lines());
    }

    @Test
    void portThatIsNotANumberExits2WithOneLineNamingTheOption() {
        Run r = run("run", "--rxperf-port", "abc");
        assertEquals(2, r.code(), r.lines().toString());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(
                r.lines().get(0).startsWith("run: Invalid value for option '--rxperf-port': 'abc'"),
                r.lines().get(0));
    }

    @Test
    void cacheFolderTheRuntimeDidNotMakeIsRefusedAndLeftAsItWas() throws Exception {
        Path mine = Files.createDirectories(temp.resolve("mine"));
        Files.createDirectories(mine.resolve("sub"));
        Files.writeString(mine.resolve("notes.txt"), "hi");
        Run r = run("run", "--cache", mine.toString());
        assertEquals(2, r.code(), r.lines().toString());
        assertEquals(
                List.of("run: --cache " + mine.toAbsolutePath() + " is not empty and the runtime did not make it (no "
                        + FelixLauncher.CACHE_MARKER + " in it): give a new or empty folder"),
                r.lines());
        assertEquals("hi", Files.readString(mine.resolve("notes.txt")));
        assertTrue(Files.isDirectory(mine.resolve("sub")));
    }

    @Test
    void cacheFolderThatIsNewOrEmptyOrTheRuntimesOwnIsTaken() throws Exception {
        Path fresh = temp.resolve("fresh");
        assertEquals(null, FelixLauncher.claimCache(fresh));
        assertTrue(Files.exists(fresh.resolve(FelixLauncher.CACHE_MARKER)));
        Files.createDirectories(fresh.resolve("felix"));
        assertEquals(null, FelixLauncher.claimCache(fresh), "the runtime's own, used before");
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertEquals(null, FelixLauncher.claimCache(empty));
        Path file = Files.writeString(temp.resolve("file"), "x");
        assertEquals(file + " is not a folder", FelixLauncher.claimCache(file));
    }

    /** Nothing listens: the load client ends within its time (not the 20 s dead time), says so, exits 1. */
    @Test
    void loadClientAgainstASilentPortExits1WithinItsTimeAndSaysNothingAnswered() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            long start = System.nanoTime();
            Run r = run(
                    "rxperf",
                    "--server",
                    "127.0.0.1:" + silent.getLocalPort(),
                    "--duration",
                    "1",
                    "--warmup",
                    "0.5",
                    "--quiet",
                    "--json");
            double took = (System.nanoTime() - start) / 1e9;
            assertEquals(1, r.code(), r.lines() + "\n" + r.out());
            assertTrue(took < 5, "took " + took + " s");
            assertEquals(1, r.out().size(), r.out().toString());
            assertTrue(
                    r.out().get(0).contains("\"ok\":0,\"failed\":0,"), r.out().get(0));
            assertTrue(
                    r.out()
                            .get(0)
                            .endsWith("\"succeeded\":false,\"error\":\"no call completed: 127.0.0.1:"
                                    + silent.getLocalPort()
                                    + " did not answer within 1.5 s (is an rxperf server, service 147,"
                                    + " listening there?)\"}"),
                    r.out().get(0));
            assertTrue(
                    r.lines().stream().anyMatch(l -> l.startsWith("rxperf: no call completed: ")),
                    r.lines().toString());
        }
    }

    @Test
    void loadClientBadBindExits2WithOneLine() {
        Run r = run("rxperf", "--bind", "notanip", "--duration", "1");
        assertEquals(2, r.code(), r.lines().toString());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(
                r.lines().get(0).startsWith("rxperf: --bind: bindAddress must be"),
                r.lines().get(0));
    }
}
