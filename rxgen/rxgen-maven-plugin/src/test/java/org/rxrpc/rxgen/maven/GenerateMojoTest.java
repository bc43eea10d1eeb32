package org.rxrpc.rxgen.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateMojoTest {
    @TempDir
    Path dir;

    private GenerateMojo mojo() {
        GenerateMojo m = new GenerateMojo();
        m.project = new MavenProject();
        m.sourceDirectory = dir.resolve("src/main/xg").toFile();
        m.outputDirectory = dir.resolve("target/generated-sources/rxgen").toFile();
        m.packageName = "org.example.gen";
        m.includeDirectories = List.of(dir.resolve("include").toFile());
        m.defines = Map.of("WITH_B", "1");
        return m;
    }

    private void write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void generatesEveryXgAndEtAndAddsTheSourceRoot() throws Exception {
        write("include/sizes.h", "#define N 3\n");
        write(
                "src/main/xg/a.xg",
                "#include <sizes.h>\nstruct a { int x[N]; };\n#ifdef WITH_B\nstruct b { int y; };\n#endif\n");
        write("src/main/xg/errors/t_errors.et", "error_table TST\nec T_ONE, \"one\"\nend\n");
        GenerateMojo m = mojo();
        m.execute();
        Path gen = dir.resolve("target/generated-sources/rxgen/org/example/gen");
        assertTrue(Files.readString(gen.resolve("A.java")).contains("new int[3]"));
        assertTrue(Files.exists(gen.resolve("B.java")), "the configured define selected struct b");
        assertTrue(Files.exists(gen.resolve("TErrors.java")));
        assertEquals(List.of(m.outputDirectory.toString()), m.project.getCompileSourceRoots());
    }

    @Test
    void anErrorFailsTheBuildWithItsLocationAndKeepsTheLastGoodOutput() throws Exception {
        write("src/main/xg/a.xg", "struct a { int x; };\n");
        mojo().execute();
        write("src/main/xg/a.xg", "struct a { int x };\n");
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo().execute());
        assertTrue(e.getMessage().endsWith("a.xg:1:18: expected ';', found '}'"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("target/generated-sources/rxgen/org/example/gen/A.java")));
    }

    @Test
    void aRemovedInterfaceFileTakesItsClassesAlong() throws Exception {
        write("src/main/xg/a.xg", "struct a { int x; };\n");
        write("src/main/xg/b.xg", "struct b { int y; };\n");
        mojo().execute();
        Files.delete(dir.resolve("src/main/xg/b.xg"));
        mojo().execute();
        assertFalse(Files.exists(dir.resolve("target/generated-sources/rxgen/org/example/gen/B.java")));
    }

    @Test
    void theTestGoalAddsATestSourceRoot() throws Exception {
        write("src/test/xg/t.xg", "struct t { int x; };\n");
        TestGenerateMojo m = new TestGenerateMojo();
        m.project = new MavenProject();
        m.testSourceDirectory = dir.resolve("src/test/xg").toFile();
        m.testOutputDirectory =
                dir.resolve("target/generated-test-sources/rxgen").toFile();
        m.packageName = "org.example.test";
        m.execute();
        assertTrue(Files.exists(dir.resolve("target/generated-test-sources/rxgen/org/example/test/T.java")));
        assertEquals(List.of(m.testOutputDirectory.toString()), m.project.getTestCompileSourceRoots());
        assertTrue(m.project.getCompileSourceRoots().isEmpty());
    }

    @Test
    void noSourceFolderIsNotAnError() throws Exception {
        GenerateMojo m = mojo();
        m.execute();
        assertTrue(m.project.getCompileSourceRoots().isEmpty());
    }
}
