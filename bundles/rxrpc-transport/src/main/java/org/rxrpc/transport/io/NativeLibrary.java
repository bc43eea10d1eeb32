package org.rxrpc.transport.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads {@code librxrpc_native.so} once, and never throws: a failure is kept as a one-line reason.
 *
 * <p>Inside OSGi the framework extracts the library named by {@code Bundle-NativeCode} and
 * {@code System.loadLibrary} finds it through the bundle's class loader. On a plain class path (tests,
 * the runtime's {@code serve} command, the shaded runtime jar) the library is copied from this jar's
 * resources to a temporary file, loaded from there, and the file deleted at once (Linux keeps the
 * mapping; nothing is left behind even if the JVM is killed).
 */
final class NativeLibrary {
    static final String NAME = "rxrpc_native";
    static final String RESOURCE = "/native/linux-x86_64/lib" + NAME + ".so";

    private static final String FAILURE = load();

    private NativeLibrary() {}

    static boolean available() {
        return FAILURE == null;
    }

    /** Why the library is not available, or null if it is. */
    static String unavailableReason() {
        return FAILURE;
    }

    private static String load() {
        try {
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "");
            if (!isLinuxX8664(os, arch)) {
                return "no native library for " + os + " " + arch + " (only Linux x86-64)";
            }
            if (insideOsgi()) {
                System.loadLibrary(NAME);
            } else {
                loadFromResource();
            }
            int abi = NativeDatagramIo.abiVersion0();
            if (abi != NativeDatagramIo.ABI_VERSION) {
                return "lib" + NAME + ".so has ABI version " + abi + ", this code needs "
                        + NativeDatagramIo.ABI_VERSION;
            }
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, SecurityException, IOException...: never fail class init
            String message = t.getMessage();
            return "cannot load lib" + NAME + ".so: " + t.getClass().getSimpleName()
                    + (message == null ? "" : ": " + message.replace('\n', ' '));
        }
    }

    static boolean isLinuxX8664(String os, String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return os.toLowerCase(Locale.ROOT).startsWith("linux") && (a.equals("amd64") || a.equals("x86_64"));
    }

    /** True if our class loader is a bundle's (the framework then provides the library). */
    private static boolean insideOsgi() {
        try {
            return NativeLibrary.class.getClassLoader() instanceof org.osgi.framework.BundleReference;
        } catch (LinkageError e) {
            return false; // no OSGi framework classes on a plain class path
        }
    }

    private static void loadFromResource() throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("resource " + RESOURCE + " not found on the class path");
            Path file = Files.createTempFile("lib" + NAME + "-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }
}
