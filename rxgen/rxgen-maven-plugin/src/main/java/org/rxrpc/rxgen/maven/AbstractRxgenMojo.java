package org.rxrpc.rxgen.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.rxrpc.rxgen.CompileException;
import org.rxrpc.rxgen.Rxgen;
import org.rxrpc.rxgen.java.GeneratedFile;

/**
 * Compiles every {@code .xg} and {@code .et} file under a source folder into Java sources in an output
 * folder, which becomes a source root. A file with an error fails the build with
 * {@code file:line:column: message}; the output is replaced only once every file compiled.
 */
abstract class AbstractRxgenMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** The Java package of the generated classes. */
    @Parameter(required = true, property = "rxgen.packageName")
    String packageName;

    /** Folders {@code #include} searches after the including file's own. */
    @Parameter
    List<File> includeDirectories = new ArrayList<>();

    /** Macros defined before each file is read (cpp's {@code -D}). */
    @Parameter
    Map<String, String> defines = new LinkedHashMap<>();

    @Parameter(defaultValue = "false", property = "rxgen.skip")
    boolean skip;

    abstract File sourceDirectory();

    abstract File outputDirectory();

    abstract void addSourceRoot(String dir);

    @Override
    public void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("rxgen: skipped");
            return;
        }
        List<Path> inputs = inputs();
        if (inputs.isEmpty()) {
            getLog().info("rxgen: no .xg or .et files in " + sourceDirectory());
            return;
        }
        Path out = outputDirectory().toPath();
        List<Path> includes = includeDirectories.stream().map(File::toPath).toList();
        try {
            List<GeneratedFile> files = new Rxgen(packageName, includes, defines).generate(inputs);
            deleteTree(out); // only once everything compiled: classes of a removed .xg must go too
            List<Path> written = Rxgen.write(files, out);
            getLog().info("rxgen: " + inputs.size() + " files, " + written.size() + " Java sources in " + out);
        } catch (CompileException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new MojoFailureException("rxgen: cannot write " + out + ": " + e.getMessage(), e);
        }
        addSourceRoot(out.toString());
    }

    private List<Path> inputs() throws MojoFailureException {
        File dir = sourceDirectory();
        if (!dir.isDirectory()) return List.of();
        try (Stream<Path> s = Files.walk(dir.toPath())) {
            return s.filter(p -> p.toString().endsWith(".xg") || p.toString().endsWith(".et"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new MojoFailureException("rxgen: cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
