package org.rxrpc.rxgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rxrpc.rxgen.et.ErrorTableParser;
import org.rxrpc.rxgen.et.ErrorTableWriter;
import org.rxrpc.rxgen.java.GeneratedFile;
import org.rxrpc.rxgen.java.JavaGenerator;
import org.rxrpc.rxgen.model.Model;

/**
 * Compiles {@code .xg} interface files and {@code .et} error tables into Java sources. All inputs are
 * compiled in memory first; only when every one succeeded are the files written, into a temporary folder
 * moved into place, so a failed compile leaves the output folder as it was.
 */
public final class Rxgen {
    private final List<Path> includePaths;
    private final Map<String, String> defines;
    private final String javaPackage;

    /**
     * @param javaPackage the package of the generated classes ("" for none)
     * @param defines macros defined before each file is read (like cpp's {@code -D})
     */
    public Rxgen(String javaPackage, List<Path> includePaths, Map<String, String> defines) {
        this.javaPackage = javaPackage;
        this.includePaths = List.copyOf(includePaths);
        this.defines = Map.copyOf(defines);
    }

    /** The Java sources for {@code inputs} ({@code .xg} or {@code .et}), without writing anything. */
    public List<GeneratedFile> generate(List<Path> inputs) {
        Map<String, GeneratedFile> files = new LinkedHashMap<>();
        for (Path input : inputs) {
            List<GeneratedFile> generated;
            if (input.toString().endsWith(".et")) {
                generated = List.of(ErrorTableWriter.write(ErrorTableParser.parse(input), javaPackage));
            } else {
                Model model = Frontend.load(input, includePaths, defines);
                generated = JavaGenerator.generate(
                        model, javaPackage, input.getFileName().toString());
            }
            for (GeneratedFile f : generated) {
                GeneratedFile old = files.putIfAbsent(f.path(), f);
                // two files including the same definitions generate the same class: fine if identical
                if (old != null && !sameClass(old, f)) {
                    throw new CompileException(
                            new Location(input.toString(), 1, 1),
                            f.path() + " is also generated from another input, differently");
                }
            }
        }
        return new ArrayList<>(files.values());
    }

    private static boolean sameClass(GeneratedFile a, GeneratedFile b) {
        return body(a).equals(body(b));
    }

    private static String body(GeneratedFile f) {
        return f.content().substring(f.content().indexOf('\n') + 1); // past the "Generated from" line
    }

    /**
     * Compiles {@code inputs} and replaces the generated package folder under {@code outputDir} with the
     * result. Nothing is written if any input has an error.
     *
     * @return the files written
     */
    public List<Path> compile(List<Path> inputs, Path outputDir) {
        return write(generate(inputs), outputDir);
    }

    /** Writes generated files under {@code outputDir}: staged in a temporary folder, then moved into place. */
    public static List<Path> write(List<GeneratedFile> files, Path outputDir) {
        try {
            Files.createDirectories(outputDir);
            Path staging = Files.createTempDirectory(outputDir, ".rxgen-");
            try {
                List<Path> written = new ArrayList<>();
                for (GeneratedFile f : files) {
                    Path p = staging.resolve(f.path());
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, f.content(), StandardCharsets.UTF_8);
                    written.add(outputDir.resolve(f.path()));
                }
                publish(staging, outputDir);
                return written;
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves each staged file into place (an atomic rename where the file system allows). */
    private static void publish(Path staging, Path outputDir) throws IOException {
        List<Path> staged;
        try (Stream<Path> s = Files.walk(staging)) {
            staged = s.filter(Files::isRegularFile).toList();
        }
        for (Path p : staged) {
            Path target = outputDir.resolve(staging.relativize(p).toString());
            Files.createDirectories(target.getParent());
            try {
                Files.move(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
