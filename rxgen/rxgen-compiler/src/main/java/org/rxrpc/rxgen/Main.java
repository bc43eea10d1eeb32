package org.rxrpc.rxgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code java -jar rxgen-compiler-cli.jar -p org.example -o src/gen -I include vl.xg vl_errors.et}. */
@Command(
        name = "rxgen-java",
        mixinStandardHelpOptions = true,
        version = "rxgen for Java 0.1.0",
        description = "Compiles Rx interface files (.xg) and com_err error tables (.et) into Java sources.")
public final class Main implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = ".xg and .et files")
    private List<Path> inputs = new ArrayList<>();

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "folder for the generated sources")
    private Path output;

    @Option(
            names = {"-p", "--package"},
            defaultValue = "",
            description = "Java package of the generated classes")
    private String javaPackage;

    @Option(names = "-I", paramLabel = "DIR", description = "where #include looks (after the including file's folder)")
    private List<Path> includes = new ArrayList<>();

    @Option(names = "-D", paramLabel = "NAME[=VALUE]", description = "defines a macro before reading")
    private List<String> defines = new ArrayList<>();

    @Override
    public Integer call() {
        Map<String, String> macros = new LinkedHashMap<>();
        for (String d : defines) {
            int eq = d.indexOf('=');
            macros.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? "1" : d.substring(eq + 1));
        }
        try {
            List<Path> written = new Rxgen(javaPackage, includes, macros).compile(inputs, output);
            System.out.println("rxgen: wrote " + written.size() + " Java files to " + output);
            return 0;
        } catch (CompileException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
