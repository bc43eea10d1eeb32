package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenAFS for the cross-checks: {@code src/test/c/rxkad_xcheck.c} built against Debian's
 * libopenafs-dev, and {@code asetkey}. Missing, the tests skip; with CI=true they fail
 * (itests/src/test/c/install-openafs.sh installs them).
 */
final class OpenAfsTools {
    private OpenAfsTools() {}

    private static final Path HEADER = Path.of("/usr/include/rx/rxkad.h");
    private static final Path LIBRARY = Path.of("/usr/lib/libafsrpc.a");
    private static Path program;

    static void require(boolean present, String what) {
        if (present) return;
        String message = what + " is missing: run itests/src/test/c/install-openafs.sh as root";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true: " + message);
        assumeTrue(false, message);
    }

    /** The cross-check program, built once per JVM into target/c. */
    static synchronized Path xcheck() throws Exception {
        require(Files.isRegularFile(HEADER) && Files.isRegularFile(LIBRARY), "libopenafs-dev (" + HEADER + ")");
        if (program == null) {
            Path out = Path.of("target/c/rxkad_xcheck");
            Files.createDirectories(out.getParent());
            Result r = run(
                    "gcc",
                    "-O2",
                    "-Wall",
                    "-DAFS_PTHREAD_ENV",
                    "-D_GNU_SOURCE",
                    "-o",
                    out.toString(),
                    "src/test/c/rxkad_xcheck.c",
                    LIBRARY.toString(),
                    "-lpthread",
                    "-l:libhcrypto.so.5",
                    "-l:libroken.so.19");
            assertEquals(0, r.exitCode, "building rxkad_xcheck: " + r.output);
            program = out;
        }
        return program;
    }

    /** Runs the cross-check program; its {@code key=value} lines. */
    static Map<String, String> xcheck(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(xcheck().toString());
        command.addAll(List.of(args));
        Result r = run(command.toArray(new String[0]));
        Map<String, String> values = new HashMap<>();
        for (String line : r.output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        values.put("exit", String.valueOf(r.exitCode));
        return values;
    }

    static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) fail("timed out: " + String.join(" ", command));
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
