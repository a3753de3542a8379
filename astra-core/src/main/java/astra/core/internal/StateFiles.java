package astra.core.internal;

import astra.core.AstraException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * Astra's own state (the embedded database, its lock, the attempt logs, which hold what tasks
 * printed and their errors) is created readable by its user only: directories 0700 and files
 * 0600, whatever the umask. A team that shares its state names a group ({@code [core]
 * shared_group}, {@link #shareWith}): what Astra creates then belongs to that group, directories
 * 2770 (setgid, so that what SQLite creates in them, its -wal and -shm files, belongs to the group
 * too) and files 0660. Existing directories and files keep the permissions they have. On a file
 * system without POSIX permissions the system's defaults apply.
 */
public final class StateFiles {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_FILE = PosixFilePermissions.fromString("rw-rw----");
    private static final int GROUP_DIRECTORY_MODE = 02770;

    /** The group Astra's state is shared with; null: private. */
    private static volatile GroupPrincipal group;
    private static volatile String groupName;

    private StateFiles() {}

    /**
     * Shares what this process creates from now on with {@code name}'s members; null or blank
     * keeps it private.
     *
     * @throws AstraException.BadConfig if there is no such group
     */
    public static void shareWith(String name) {
        if (name == null || name.isBlank()) {
            group = null;
            groupName = null;
            return;
        }
        try {
            group = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name.strip());
            groupName = name.strip();
        } catch (UserPrincipalNotFoundException e) {
            throw new AstraException.BadConfig("[core] shared_group: there is no group '" + name.strip()
                    + "' on this host (see getent group)");
        } catch (IOException | UnsupportedOperationException e) {
            throw new AstraException.BadConfig("[core] shared_group: cannot look up the group '" + name.strip()
                    + "': " + e.getMessage());
        }
    }

    /** The group set by {@link #shareWith}, if any: for processes started from this one. */
    public static Optional<String> sharedGroup() {
        return Optional.ofNullable(groupName);
    }

    /** Creates {@code dir} and its missing parents, each one it creates private (or the group's). */
    public static void createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                create(p, true);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(p)) {
                    throw raced;
                }
            }
        }
    }

    /** Creates {@code file} empty and private (or the group's) unless it exists; true if it did. */
    public static boolean createFile(Path file) throws IOException {
        try {
            create(file, false);
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        }
    }

    /** Opens {@code file} for appending, created private if it does not exist; writes are not buffered. */
    public static OutputStream append(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        boolean created = !Files.exists(file);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            channel = FileChannel.open(file, options);
        }
        if (created) {
            share(file, false);
        }
        return Channels.newOutputStream(channel);
    }

    private static void create(Path p, boolean directory) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(directory ? DIRECTORY : FILE);
        try {
            if (directory) {
                Files.createDirectory(p, mode);
            } else {
                Files.createFile(p, mode);
            }
        } catch (UnsupportedOperationException notPosix) {
            if (directory) {
                Files.createDirectory(p);
            } else {
                Files.createFile(p);
            }
            return;
        }
        share(p, directory);
    }

    /** Gives what was just created (private) to the shared group, if there is one. */
    private static void share(Path p, boolean directory) throws IOException {
        GroupPrincipal shared = group;
        if (shared == null) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        view.setGroup(shared);
        if (directory) {
            Files.setAttribute(p, "unix:mode", GROUP_DIRECTORY_MODE);
        } else {
            view.setPermissions(GROUP_FILE);
        }
    }
}
