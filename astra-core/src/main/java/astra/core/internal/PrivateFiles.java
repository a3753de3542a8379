package astra.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Astra's own state (the embedded database, its lock, the attempt logs, which hold what tasks
 * printed and their errors) is created readable by its user only: directories 0700 and files
 * 0600, whatever the umask. Existing directories and files keep the permissions they have, so
 * a team that shares a state directory sets its group and mode once. On a file system without
 * POSIX permissions the system's defaults apply.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} and its missing parents, each one it creates private. */
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

    /** Creates {@code file} empty and private unless it exists; true if it did. */
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
        FileChannel channel;
        try {
            channel = FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            channel = FileChannel.open(file, options);
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
        }
    }
}
