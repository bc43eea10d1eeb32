package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.itests.interop.OpenAfsPeers.Output;
import org.rxrpc.itests.interop.OpenAfsPeers.ServerProcess;

/**
 * The shipped load client ({@code java -jar runtime/target/rxrpc-runtime.jar rxperf}) against the OpenAFS
 * library's rxperf server, which checks every request byte: every call succeeds with the reply checked.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OurLoadClientAgainstOpenAfsServerTest {
    private static final Path RUNTIME_JAR = Path.of("..", "runtime", "target", "rxrpc-runtime.jar");
    private static final Pattern RESULT = Pattern.compile("RESULT calls=(\\d+) ok=(\\d+) failed=(\\d+)");

    private static Output load(int port, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[6 + args.length];
        command[0] = java;
        command[1] = "-jar";
        command[2] = RUNTIME_JAR.toString();
        command[3] = "rxperf";
        command[4] = "--server";
        command[5] = OpenAfsPeers.LOOPBACK + ":" + port;
        System.arraycopy(args, 0, command, 6, args.length);
        return OpenAfsPeers.run(Duration.ofSeconds(90), command);
    }

    private static void assertAllSucceeded(Output out, long calls) {
        Matcher m = RESULT.matcher(out.stdout());
        assertTrue(m.find(), "no RESULT line: " + out);
        assertEquals(calls, Long.parseLong(m.group(2)), out.toString());
        assertEquals(0, Long.parseLong(m.group(3)), out.toString());
        assertEquals(0, out.exitCode(), out.toString());
    }

    @Test
    void everyModeSucceedsByteExactAgainstTheOpenAfsServer() throws Exception {
        assertTrue(Files.isRegularFile(RUNTIME_JAR), "build the runtime first: " + RUNTIME_JAR.toAbsolutePath());
        try (ServerProcess server = OpenAfsPeers.startServer("-V")) {
            String[] common = {"--calls", "40", "--warmup", "0", "--verify", "--quiet"};
            assertAllSucceeded(
                    load(
                            server.port,
                            concat(
                                    common,
                                    "--mode",
                                    "rpc",
                                    "--request-bytes",
                                    "4",
                                    "--reply-bytes",
                                    "4",
                                    "--concurrency",
                                    "4")),
                    40);
            assertAllSucceeded(load(server.port, concat(common, "--mode", "send", "--request-bytes", "1M")), 40);
            assertAllSucceeded(
                    load(server.port, concat(common, "--mode", "recv", "--reply-bytes", "1M", "--new-connection")), 40);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
