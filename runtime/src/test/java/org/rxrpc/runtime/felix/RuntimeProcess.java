package org.rxrpc.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The runtime as a user runs it: {@code Main ...} in a child JVM with the test's classpath (and so the
 * bundle folder the build filled, target/bundles), its stdout and stderr collected line by line.
 */
final class RuntimeProcess implements AutoCloseable {
    static final Duration LINE_LIMIT = Duration.ofSeconds(60);
    static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private RuntimeProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "runtime-output");
        reader.setDaemon(true);
        reader.start();
    }

    static RuntimeProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.rxrpc.runtime.Main"));
        command.addAll(List.of(args));
        return new RuntimeProcess(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    synchronized boolean has(Predicate<String> p) {
        return lines.stream().anyMatch(p);
    }

    synchronized long count(Predicate<String> p) {
        return lines.stream().filter(p).count();
    }

    /** The index of the first line that matches, or -1. */
    synchronized int indexOf(Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) if (p.test(lines.get(i))) return i;
        return -1;
    }

    /** The first line that matches, or null. */
    synchronized String first(Predicate<String> p) {
        return lines.stream().filter(p).findFirst().orElse(null);
    }

    synchronized String output() {
        return String.join("\n", lines);
    }

    /** Waits for a line and returns it, failing with the output so far if none comes in time or the process ends. */
    synchronized String await(Predicate<String> p) throws InterruptedException {
        long deadline = System.nanoTime() + LINE_LIMIT.toNanos();
        while (true) {
            String line = first(p);
            if (line != null) return line;
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "no such line within " + LINE_LIMIT + ":\n" + output());
            assertTrue(process.isAlive() || reader.isAlive(), "the runtime exited:\n" + output());
            wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
        }
    }

    /** The runtime's process id (for a JMX client to attach to it, as jconsole does). */
    long pid() {
        return process.pid();
    }

    /** Types a line on the runtime's standard input (its shell reads it). */
    void type(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Closes the runtime's standard input (end of file for its shell). */
    void endInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS), "still running:\n" + output());
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** SIGTERM, then the exit code (the output read to the end). */
    int sigtermAndWait() throws InterruptedException {
        // SIGTERM. Not Process.destroy(): it also closes the pipes, and the stop's output would be lost.
        process.toHandle().destroy();
        assertTrue(process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS), "no exit after SIGTERM:\n" + output());
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
