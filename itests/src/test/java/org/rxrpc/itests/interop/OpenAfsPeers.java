package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real OpenAFS peers of the interop tests: the C programs in {@code itests/src/test/c} (built once
 * per JVM into {@code itests/target/c-peers}) and the OpenAFS client tools ({@code rxdebug},
 * {@code cmdebug}).
 *
 * <p>Tests call {@link #require()} first. If OpenAFS is missing (no {@code /usr/include/rx/rx.h}, or no
 * {@code rxdebug} or {@code cmdebug} in PATH), the test is skipped, or fails when the environment variable {@code CI} is
 * {@code true}; the message names {@code itests/src/test/c/install-openafs.sh}. Tests never install
 * anything.
 */
final class OpenAfsPeers {
    static final String INSTALL_SCRIPT = "itests/src/test/c/install-openafs.sh";
    static final String LOOPBACK = "127.0.0.1";

    /** The OpenAFS header whose absence means "not installed" (a system property overrides it, for testing the skip). */
    private static final Path RX_HEADER =
            Paths.get(System.getProperty("rxrpc.itests.rxHeader", "/usr/include/rx/rx.h"));

    private static final Pattern RESULT_FIELD = Pattern.compile("(\\w+)=([-0-9.]+)");

    private static String missing; // null once checked and present
    private static boolean checked;
    private static Path peersDir;
    private static String buildFailure;

    /** Every process started here, killed by a shutdown hook should a test leave one behind. */
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "kill-openafs-peers"));
    }

    private OpenAfsPeers() {}

    private static Process start(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            STARTED.add(p);
            p.onExit().thenRun(() -> STARTED.remove(p));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * Skips (or, with CI=true, fails) the calling test if OpenAFS is not installed, then builds the C
     * peers once. A failing build fails the test with the build output.
     */
    static synchronized void require() {
        if (!checked) {
            checked = true;
            List<String> absent = new ArrayList<>();
            if (!Files.isRegularFile(RX_HEADER)) absent.add(RX_HEADER + " (libopenafs-dev)");
            if (findInPath("rxdebug") == null) absent.add("rxdebug (openafs-client)");
            if (findInPath("cmdebug") == null) absent.add("cmdebug (openafs-client)");
            if (!absent.isEmpty()) {
                missing = "OpenAFS is not installed (missing " + String.join(", ", absent) + "); run " + INSTALL_SCRIPT
                        + " as root to install libopenafs-dev and openafs-client";
            }
        }
        if (missing != null) skipOrFail(missing);
        if (peersDir == null && buildFailure == null) build();
        if (buildFailure != null) fail(buildFailure);
    }

    private static void build() {
        Path src = Paths.get(System.getProperty("rxrpc.itests.cSources", "src/test/c"));
        Path out = Paths.get(System.getProperty("rxrpc.itests.cPeers", "target/c-peers"));
        Output r = run(Duration.ofSeconds(120), "sh", src.resolve("build.sh").toString(), out.toString());
        if (r.exitCode() != 0
                || !Files.isExecutable(out.resolve("rxperf_server"))
                || !Files.isExecutable(out.resolve("rxperf_client"))) {
            buildFailure = "building the OpenAFS C peers failed: " + r;
        } else {
            peersDir = out;
        }
    }

    /**
     * A test that needs {@code missing}: skipped on a developer's machine without it, failed under
     * {@code CI=true}, where .ci/run has installed everything (so nothing can skip there).
     */
    static void skipOrFail(String missing) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true: " + missing);
        assumeTrue(false, missing);
    }

    static String findInPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) path = "/usr/bin:/bin";
        List<String> dirs = new ArrayList<>(Arrays.asList(path.split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            Path p = Paths.get(dir, program);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** A UDP port on 127.0.0.1 that was free a moment ago. */
    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects a process stream into a buffer and counts down when a line with {@code marker} appears. */
    private static final class Pump extends Thread {
        private final InputStream in;
        private final StringBuffer text = new StringBuffer();
        private final String marker;
        final CountDownLatch seen = new CountDownLatch(1);

        Pump(InputStream in, String name, String marker) {
            super(name);
            this.in = in;
            this.marker = marker;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] b = new byte[4096];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    text.append(new String(b, 0, n, StandardCharsets.UTF_8));
                    if (marker != null && text.indexOf(marker) >= 0) seen.countDown();
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        String text(long joinMillis) {
            try {
                join(joinMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return text.toString();
        }
    }

    /** What a finished (or killed) process printed. */
    record Output(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {
        String combined() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + (timedOut ? " (killed after its timeout)" : "") + " exit=" + exitCode
                    + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    /** Runs a program to completion, killing it after {@code timeout}; exit code -1 if killed. */
    static Output run(Duration timeout, String... command) {
        Process p = start(List.of(command));
        Pump out = new Pump(p.getInputStream(), "out-" + command[0], null);
        Pump err = new Pump(p.getErrorStream(), "err-" + command[0], null);
        out.start();
        err.start();
        boolean timedOut = false;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) timedOut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        int code = timedOut ? -1 : p.exitValue();
        return new Output(List.of(command), code, timedOut, out.text(2000), err.text(2000));
    }

    /** A running {@code rxperf_server}; {@link #close()} kills it. */
    static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final Pump out;
        private final Pump err;
        private final List<String> command;
        final int port;

        private ServerProcess(Process process, Pump out, Pump err, List<String> command, int port) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.command = command;
            this.port = port;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** What the server printed so far (both streams), for failure messages. */
        String log() {
            return String.join(" ", command) + (process.isAlive() ? " (running)" : " exit=" + process.exitValue())
                    + "\n--- stdout:\n" + out.text + "--- stderr:\n" + err.text;
        }

        /** Stops the server (SIGTERM) and returns everything it wrote to stderr, its call counts included. */
        String stopAndReadLog() {
            // ProcessHandle's SIGTERM keeps the pipes open; Process.destroy() closes them and loses the last lines
            process.toHandle().destroy();
            try {
                process.waitFor(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String log = err.text(2000);
            close();
            return log;
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: the server logs its call count and exits 0
                try {
                    if (!process.waitFor(3, TimeUnit.SECONDS)) process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                } finally {
                    if (process.isAlive()) process.destroyForcibly();
                }
            }
        }
    }

    /**
     * Starts {@code rxperf_server -a 127.0.0.1 -p PORT args...} on a free port and waits until it prints
     * {@code listening on PORT}. Tries three ports before failing.
     */
    static ServerProcess startServer(String... args) throws InterruptedException {
        require();
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freeUdpPort();
            List<String> cmd = new ArrayList<>();
            cmd.add(peersDir.resolve("rxperf_server").toString());
            cmd.addAll(List.of("-a", LOOPBACK, "-p", Integer.toString(port)));
            cmd.addAll(Arrays.asList(args));
            Process p = start(cmd);
            Pump out = new Pump(p.getInputStream(), "rxperf_server-out", "listening on " + port);
            Pump err = new Pump(p.getErrorStream(), "rxperf_server-err", null);
            out.start();
            err.start();
            ServerProcess server = new ServerProcess(p, out, err, cmd, port);
            boolean ready = false;
            try {
                ready = out.seen.await(10, TimeUnit.SECONDS) && p.isAlive();
            } finally {
                if (!ready) {
                    server.close();
                    failures.append(server.log()).append('\n');
                }
            }
            if (ready) return server;
        }
        fail("rxperf_server did not start:\n" + failures);
        return null; // not reached
    }

    /** The parsed {@code RESULT} line of one {@code rxperf_client} run, with its output. */
    record ClientResult(Output output, Map<String, String> fields) {
        long calls() {
            return Long.parseLong(fields.getOrDefault("calls", "-1"));
        }

        long ok() {
            return Long.parseLong(fields.getOrDefault("ok", "-1"));
        }

        long failed() {
            return Long.parseLong(fields.getOrDefault("failed", "-1"));
        }

        double seconds() {
            return Double.parseDouble(fields.getOrDefault("seconds", "-1"));
        }

        boolean hasResult() {
            return !fields.isEmpty();
        }

        @Override
        public String toString() {
            return "rxperf_client " + fields + "\n" + output;
        }
    }

    /**
     * Runs {@code rxperf_client -h 127.0.0.1 -p PORT args...} to completion (killed after
     * {@code timeout}) and parses its RESULT line.
     */
    static ClientResult runClient(int port, Duration timeout, String... args) {
        require();
        List<String> cmd = new ArrayList<>();
        cmd.add(peersDir.resolve("rxperf_client").toString());
        cmd.addAll(List.of("-h", LOOPBACK, "-p", Integer.toString(port)));
        cmd.addAll(Arrays.asList(args));
        Output out = run(timeout, cmd.toArray(new String[0]));
        Map<String, String> fields = new HashMap<>();
        for (String line : out.stdout().split("\n")) {
            if (!line.startsWith("RESULT ")) continue;
            Matcher m = RESULT_FIELD.matcher(line);
            while (m.find()) fields.put(m.group(1), m.group(2));
        }
        return new ClientResult(out, fields);
    }

    /**
     * Asserts that an {@code rxperf_client} run made exactly {@code expectedCalls} calls, all successful,
     * and exited 0; {@code context} (our endpoint's stats, a server log) is added to the failure message.
     */
    static void assertAllCallsSucceeded(ClientResult r, long expectedCalls, Supplier<String> context) {
        Supplier<String> msg = () -> r + "\n--- context:\n" + context.get();
        assertTrue(r.hasResult(), () -> "no RESULT line: " + msg.get());
        assertEquals(0, r.failed(), () -> "failed calls: " + msg.get());
        assertEquals(expectedCalls, r.ok(), () -> "successful calls: " + msg.get());
        assertEquals(expectedCalls, r.calls(), () -> "calls: " + msg.get());
        assertEquals(0, r.output().exitCode(), () -> "exit code: " + msg.get());
    }

    /** The path of one of the built C peers ({@code rxperf_server}, {@code cb_fileserver}, ...). */
    static Path peer(String name) {
        require();
        Path p = peersDir.resolve(name);
        if (!Files.isExecutable(p)) fail(p + " was not built by " + INSTALL_SCRIPT.replace("install-openafs", "build"));
        return p;
    }

    /** The path of an OpenAFS tool (after {@link #require()}). */
    static String tool(String name) {
        require();
        String p = findInPath(name);
        if (p == null) fail(name + " not found; run " + INSTALL_SCRIPT);
        return p;
    }
}
