package org.rxrpc.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's "Writing a service bundle" recipe is this bundle's source, word for word, and it compiles. */
class ReadmeRecipeIsTheEchoSampleAndCompilesTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path SOURCE = MODULE.resolve("src/main/java/org/rxrpc/echo/EchoService.java");

    static String recipe() throws Exception {
        String readme = Files.readString(MODULE.resolve("../../README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("\n## Writing a service bundle");
        assertTrue(section >= 0, "README.md has a \"Writing a service bundle\" section");
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(section), "the section has a java block");
        return m.group(1);
    }

    @Test
    void theRecipeIsTheSampleSource() throws Exception {
        assertEquals(Files.readString(SOURCE, StandardCharsets.UTF_8), recipe());
    }

    @Test
    void theRecipeCompilesAgainstTheApiAndTheServingSupport(@TempDir Path temp) throws Exception {
        Path src = temp.resolve("src/org/rxrpc/echo/EchoService.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, recipe(), StandardCharsets.UTF_8);
        Path out = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(
                        errors,
                        null,
                        null,
                        List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path")),
                        null,
                        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                .getJavaFileObjects(src.toFile()))
                .call();
        assertTrue(ok, errors.toString());
        assertTrue(Files.isRegularFile(out.resolve("org/rxrpc/echo/EchoService.class")));
    }
}
