package org.rxrpc.rxkad;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of an OpenAFS server configuration folder ({@code /etc/openafs/server} or a {@code -config}
 * folder): {@code KeyFile}, {@code KeyFileExt} and {@code rxkad.keytab}, whichever exist. {@link #keys()}
 * returns the snapshot last read (no I/O, fit for the I/O thread); {@link #reloadIfChanged()} rereads when
 * a file's size or modification time changed, and {@link #watch} does so periodically on a thread of its
 * own, so keys rotate (asetkey add, delete) without a restart. A file that fails to parse keeps the old
 * keys and is logged (by name and fault; keys are never logged).
 */
public final class OpenAfsKeyFolder implements ServerKeySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAfsKeyFolder.class);

    static final String KEY_FILE = "KeyFile";
    static final String KEY_FILE_EXT = "KeyFileExt";
    static final String KEYTAB = "rxkad.keytab";

    private final Path folder;
    private volatile ServerKeyRing keys = ServerKeyRing.EMPTY;
    private byte[][] contents = new byte[3][];
    private Thread watcher;
    private volatile boolean closed;

    private OpenAfsKeyFolder(Path folder) {
        this.folder = Objects.requireNonNull(folder);
    }

    /** Reads the folder's keys now. */
    public static OpenAfsKeyFolder open(Path folder) throws IOException {
        OpenAfsKeyFolder f = new OpenAfsKeyFolder(folder);
        f.reload();
        return f;
    }

    /** Reads the folder's keys now, then rereads them on change, checking every {@code interval}. */
    public static OpenAfsKeyFolder watch(Path folder, Duration interval) throws IOException {
        OpenAfsKeyFolder f = open(folder);
        long millis = Math.max(10, interval.toMillis());
        f.watcher = new Thread(() -> f.poll(millis), "rxkad-keys " + folder);
        f.watcher.setDaemon(true);
        f.watcher.start();
        return f;
    }

    private void poll(long millis) {
        while (!closed) {
            try {
                Thread.sleep(millis);
                reloadIfChanged();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("rxkad keys of {}: keeping the previous keys: {}", folder, e.getMessage());
            }
        }
    }

    public Path folder() {
        return folder;
    }

    @Override
    public ServerKeyRing keys() {
        return keys;
    }

    /**
     * Rereads the keys if a key file appeared, went or changed (its bytes are compared: the files are
     * small, and a rewrite within the file system's time granularity is still seen); returns whether the
     * keys were replaced.
     */
    public synchronized boolean reloadIfChanged() throws IOException {
        byte[][] now = readAll();
        if (Arrays.deepEquals(now, contents)) return false;
        try {
            parse(now);
        } finally {
            contents = now; // a bad file is reported once, not at every poll
        }
        return true;
    }

    private synchronized void reload() throws IOException {
        parse(readAll());
    }

    private void parse(byte[][] files) throws IOException {
        List<ServerKey> all = new ArrayList<>();
        if (files[0] != null) all.addAll(OpenAfsKeyFiles.keyFile(files[0]));
        if (files[1] != null) all.addAll(OpenAfsKeyFiles.keyFileExt(files[1]));
        if (files[2] != null) all.addAll(OpenAfsKeyFiles.keytab(files[2]));
        keys = new ServerKeyRing(all);
        contents = files;
        LOG.info("rxkad keys of {}: {}", folder, keys);
    }

    private byte[][] readAll() throws IOException {
        return new byte[][] {readIfPresent(KEY_FILE), readIfPresent(KEY_FILE_EXT), readIfPresent(KEYTAB)};
    }

    private byte[] readIfPresent(String name) throws IOException {
        try {
            return Files.readAllBytes(folder.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Stops the watching thread, if any. */
    @Override
    public void close() {
        closed = true;
        Thread w = watcher;
        if (w != null) {
            w.interrupt();
            try {
                w.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "OpenAfsKeyFolder[" + folder + ", " + keys + "]";
    }
}
