package org.rxrpc.rxgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rxrpc.rxgen.model.Model;

/** Test helpers: interface files written to a folder, and the test resources. */
final class Sources {
    private Sources() {}

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Model load(Path dir, String text) {
        return Frontend.load(write(dir, "t.xg", text), List.of(), Map.of());
    }

    static Path resource(String name) {
        try {
            return Path.of(Sources.class.getResource("/xg/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
