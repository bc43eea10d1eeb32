package org.rxrpc.rxgen.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code src/test/xg} into {@code target/generated-test-sources/rxgen}, a test compile source root. */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class TestGenerateMojo extends AbstractRxgenMojo {
    /** Where the test interface files are. */
    @Parameter(defaultValue = "${project.basedir}/src/test/xg", property = "rxgen.testSourceDirectory")
    File testSourceDirectory;

    /** Where the Java sources go (replaced on each run). */
    @Parameter(
            defaultValue = "${project.build.directory}/generated-test-sources/rxgen",
            property = "rxgen.testOutputDirectory")
    File testOutputDirectory;

    @Override
    File sourceDirectory() {
        return testSourceDirectory;
    }

    @Override
    File outputDirectory() {
        return testOutputDirectory;
    }

    @Override
    void addSourceRoot(String dir) {
        project.addTestCompileSourceRoot(dir);
    }
}
