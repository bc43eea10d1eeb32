package org.rxrpc.rxgen.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code src/main/xg} into {@code target/generated-sources/rxgen}, a compile source root. */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractRxgenMojo {
    /** Where the interface files are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/xg", property = "rxgen.sourceDirectory")
    File sourceDirectory;

    /** Where the Java sources go (replaced on each run). */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/rxgen", property = "rxgen.outputDirectory")
    File outputDirectory;

    @Override
    File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    File outputDirectory() {
        return outputDirectory;
    }

    @Override
    void addSourceRoot(String dir) {
        project.addCompileSourceRoot(dir);
    }
}
