package org.rxrpc.rxgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the compiler writes: Java that javac accepts without a warning, and nothing at all on an error. */
class CompilerOutputTest {
    @TempDir
    Path dir;

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void generatedJavaForEveryConstructCompilesWithoutWarnings() throws IOException {
        Path out = dir.resolve("gen");
        new Rxgen("org.example.everything", List.of(), Map.of())
                .compile(List.of(Sources.resource("everything.xg")), out);
        List<Path> files = javaFiles(out);
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(
                List.of(
                        "Aggregate.java",
                        "Color.java",
                        "EverythingConstants.java",
                        "Node.java",
                        "Scalars.java",
                        "Shape.java",
                        "Test.java",
                        "TestClient.java",
                        "TestDispatcher.java",
                        "TestService.java",
                        "TestStub.java"),
                names);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of(
                "-Xlint:all",
                "-Werror",
                "-d",
                dir.resolve("classes").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        files.forEach(f -> args.add(f.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        assertEquals(0, rc, err::toString);
        String scalars = Files.readString(files.get(names.indexOf("Scalars.java")));
        assertTrue(scalars.contains(" * One of every integer type."), "the .xg comment is the record Javadoc");
        assertTrue(scalars.contains("@param i64 two units, high first"), scalars);
    }

    @Test
    void aFailedCompileLeavesTheOutputFolderAsItWas() throws IOException {
        Path out = dir.resolve("gen");
        Path good = Sources.write(dir, "good.xg", "struct a { int x; };\n");
        new Rxgen("p", List.of(), Map.of()).compile(List.of(good), out);
        String before = Files.readString(out.resolve("p/A.java"));
        Path bad = Sources.write(dir, "bad.xg", "struct b { int y; };\nstruct c { nope z; };\n");
        Path good2 = Sources.write(dir, "good2.xg", "struct a { int x; int w; };\n");
        assertThrows(
                CompileException.class, () -> new Rxgen("p", List.of(), Map.of()).compile(List.of(good2, bad), out));
        assertEquals(before, Files.readString(out.resolve("p/A.java")));
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(
                    List.of(out, out.resolve("p"), out.resolve("p/A.java")),
                    s.sorted().toList());
        }
    }

    @Test
    void commandLinePrintsTheLocatedErrorAndExitsOne() {
        Path bad = Sources.write(dir, "bad.xg", "struct s { int a }\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        int rc;
        try {
            rc = new CommandLine(new Main()).execute("-o", dir.resolve("out").toString(), bad.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, rc);
        assertEquals(bad + ":1:18: expected ';', found '}'" + System.lineSeparator(), err.toString());
        assertTrue(
                !Files.exists(dir.resolve("out")) || dir.resolve("out").toFile().list().length == 0);
    }

    @Test
    void commandLineWritesPackagesWithIncludePathsAndDefines() throws IOException {
        Sources.write(dir, "inc/n.h", "#define N 4\n");
        Path xg = Sources.write(dir, "x.xg", "#include <n.h>\n#ifdef WANT\nstruct w { int a[N]; };\n#endif\n");
        int rc = new CommandLine(new Main())
                .execute(
                        "-o",
                        dir.resolve("out").toString(),
                        "-p",
                        "a.b",
                        "-I",
                        dir.resolve("inc").toString(),
                        "-D",
                        "WANT",
                        xg.toString());
        assertEquals(0, rc);
        assertTrue(Files.readString(dir.resolve("out/a/b/W.java")).contains("new int[4]"));
        assertTrue(new File(dir.resolve("out/a/b/XConstants.java").toString()).exists() == false);
    }
}
