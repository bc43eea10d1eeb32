package org.rxrpc.vl.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.rxrpc.security.SecurityClass;
import org.rxrpc.security.SecurityIdentity;

/**
 * Who may change the database: the rule of OpenAFS's {@code afsconf_SuperUser} (src/auth/userok.c), which its
 * vlserver asks before every write. Only a caller rxkad authenticated can be one: the holder of the server
 * key (a ticket for {@code afs} with no instance and no cell, what {@code -localauth} mints), or a name on the
 * list ({@code name[.instance]} for the local cell or a ticket naming no cell, {@code name[.instance]@cell}
 * for another). The list is a {@code UserList} file of an OpenAFS server configuration folder (one name per
 * line, reread when it changes, with the folder's {@code ThisCell} as the local cell) or given names.
 * Thread-safe.
 */
public final class SuperUsers {
    /** The principal of the server key holder's tickets (OpenAFS's AUTH_SUPERUSER). */
    static final String KEY_HOLDER = "afs";

    /** Everyone, as an OpenAFS server started with {@code -noauth}: for tests and open sandboxes. */
    public static final SuperUsers EVERYONE = new SuperUsers(null, Set.of(), "", true);

    private final Path folder;
    private final boolean everyone;
    private volatile Names names;

    /** The names and local cell in force, and the file times they were read at (folder mode). */
    private record Names(Set<String> users, String localCell, FileTime userListTime, FileTime thisCellTime) {}

    private SuperUsers(Path folder, Set<String> users, String localCell, boolean everyone) {
        this.folder = folder;
        this.everyone = everyone;
        this.names = new Names(users, localCell.toLowerCase(Locale.ROOT), null, null);
    }

    /** Only the server key holder ({@code -localauth}). */
    public static SuperUsers keyHolderOnly() {
        return of("", List.of());
    }

    /**
     * The key holder and {@code users} ({@code name[.instance]} of {@code localCell} or of no cell,
     * {@code name[.instance]@cell} of another).
     */
    public static SuperUsers of(String localCell, Collection<String> users) {
        return new SuperUsers(null, normalised(users), Objects.requireNonNull(localCell), false);
    }

    /**
     * The key holder and the names in {@code folder/UserList}, the local cell from {@code folder/ThisCell};
     * both reread when they change (a missing file: no names, no local cell).
     */
    public static SuperUsers fromConfigFolder(Path folder) {
        SuperUsers s = new SuperUsers(Objects.requireNonNull(folder), Set.of(), "", false);
        s.names = s.read();
        return s;
    }

    /** Whether the caller of a call under {@code securityIndex}, authenticated as {@code id}, may write. */
    public boolean isSuperUser(int securityIndex, SecurityIdentity id) {
        if (everyone) return true;
        if (securityIndex != SecurityClass.RXKAD_INDEX || id == null) return false; // the null class: never
        boolean noCell = id.cell().isEmpty();
        if (noCell && id.instance().isEmpty() && id.name().equals(KEY_HOLDER)) return true;
        Names n = current();
        String user = id.instance().isEmpty() ? id.name() : id.name() + "." + id.instance();
        String cell = id.cell().toLowerCase(Locale.ROOT);
        if (noCell || cell.equals(n.localCell())) return n.users().contains(user);
        return n.users().contains(user + "@" + id.cell()) || n.users().contains(user + "@" + cell);
    }

    /** The names in force (for logs and tests): never keys. */
    public Set<String> names() {
        return current().users();
    }

    @Override
    public String toString() {
        if (everyone) return "SuperUsers[everyone (noauth)]";
        return "SuperUsers[key holder" + (folder == null ? "" : ", " + folder.resolve("UserList")) + ", "
                + current().users() + "]";
    }

    private Names current() {
        Names n = names;
        if (folder == null) return n;
        if (!Objects.equals(time(folder.resolve("UserList")), n.userListTime())
                || !Objects.equals(time(folder.resolve("ThisCell")), n.thisCellTime())) {
            n = read();
            names = n;
        }
        return n;
    }

    private Names read() {
        Path userList = folder.resolve("UserList");
        Path thisCell = folder.resolve("ThisCell");
        FileTime userListTime = time(userList);
        FileTime thisCellTime = time(thisCell);
        List<String> lines = lines(userList);
        List<String> cellLines = lines(thisCell);
        String cell = cellLines.isEmpty() ? "" : cellLines.get(0);
        return new Names(normalised(lines), cell.toLowerCase(Locale.ROOT), userListTime, thisCellTime);
    }

    /** Names one per entry, or several separated by commas or blanks (a configuration file's one line). */
    private static Set<String> normalised(Collection<String> users) {
        Set<String> out = new TreeSet<>();
        for (String u : users) {
            for (String t : u.trim().split("[,\\s]+")) {
                if (!t.isEmpty()) out.add(t);
            }
        }
        return Set.copyOf(out);
    }

    private static List<String> lines(Path p) {
        try {
            List<String> out = new ArrayList<>();
            for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) out.add(l.trim());
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static FileTime time(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }
}
