package astra.worker.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing for child workers: the classes a child loads (Astra, jOOQ, the
 * JDBC drivers, the user's tasks) are archived once per classpath, and every later child maps the
 * archive instead of loading and verifying them again, which halves a child's start-up.
 *
 * <p>The archive is keyed by the JVM, the child's JVM options and every classpath jar's path, size
 * and modification time, so a rebuilt jar gets a new archive rather than a stale one. The first
 * child started without one writes it when it exits ({@code -XX:ArchiveClassesAtExit}, JDK 13+),
 * into a file of its own that {@link #childEnded} then moves into place: runs at the same time
 * cannot see half an archive. Only the most recently used archives are kept.
 *
 * <p>Off when the classpath holds anything but jar files (the JVM cannot archive from
 * directories, as in a build's tests), when the options already choose ({@code -Xshare},
 * {@code -XX:SharedArchiveFile}, {@code -XX:ArchiveClassesAtExit}: {@code [worker] jvm_options =
 * -Xshare:off} turns it off), or when the cache directory cannot be written.
 */
final class ClassDataSharing {

    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);

    /** How many archives the cache keeps: one per classpath recently used (a few tens of MB each). */
    static final int KEEP = 4;

    /** Unified logging off for CDS: a JVM that cannot map the archive says so on stdout, then runs anyway. */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final Path archive;
    private final AtomicBoolean dumping = new AtomicBoolean();
    private volatile Path dump;

    private ClassDataSharing(Path archive) {
        this.archive = archive;
    }

    /** Sharing for children of this JVM with these options and classpath, or empty when it cannot apply. */
    static Optional<ClassDataSharing> of(List<String> jvmOptions, List<String> classpath, Optional<Path> cacheDir) {
        if (cacheDir.isEmpty()) {
            return Optional.empty();
        }
        for (String option : jvmOptions) {
            if (option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
                    || option.startsWith("-XX:ArchiveClassesAtExit")) {
                return Optional.empty();
            }
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, System.getProperty("java.home"));
            update(digest, System.getProperty("java.vm.version"));
            for (String option : jvmOptions) {
                update(digest, option);
            }
            for (String entry : classpath) {
                Path jar = Path.of(entry).toAbsolutePath();
                if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                    log.debug("no class-data sharing for workers: {} on the classpath is not a jar file", entry);
                    return Optional.empty();
                }
                BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
                update(digest, jar + "|" + attributes.size() + "|" + attributes.lastModifiedTime().toMillis());
            }
            String key = HexFormat.of().formatHex(digest.digest(), 0, 10);
            Files.createDirectories(cacheDir.get());
            return Optional.of(new ClassDataSharing(cacheDir.get().resolve("worker-" + key + ".jsa")));
        } catch (IOException | RuntimeException e) {
            log.debug("no class-data sharing for workers: {}", e.toString());
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code $XDG_CACHE_HOME/astra/cds}, else {@code ~/.cache/astra/cds}; empty without a home.
     */
    static Optional<Path> defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Optional.of(Path.of(xdg, "astra", "cds"));
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() || home.equals("?") ? Optional.empty()
                : Optional.of(Path.of(home, ".cache", "astra", "cds"));
    }

    /** The archive this sharing uses or writes. */
    Path archive() {
        return archive;
    }

    /**
     * The options for the next child: map the archive when there is one, else have this child
     * write it (only one child of the pool at a time does, and {@link #archiveWritten} says when it ended).
     */
    ChildOptions nextChild() {
        List<String> options = new ArrayList<>(QUIET);
        if (Files.isRegularFile(archive)) {
            touch(archive);
            options.add("-XX:SharedArchiveFile=" + archive);
            return new ChildOptions(options, false);
        }
        if (!dumping.compareAndSet(false, true)) {
            return new ChildOptions(options, false);
        }
        dump = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        options.add("-XX:ArchiveClassesAtExit=" + dump);
        return new ChildOptions(options, true);
    }

    /** A child's CDS options, and whether it is the one writing the archive. */
    record ChildOptions(List<String> options, boolean writesArchive) {}

    /**
     * The child writing the archive has exited: if it finished normally, its archive is complete
     * and moves into place, and old ones go; otherwise it is dropped and a later child tries again.
     */
    void archiveWritten(boolean finishedNormally) {
        Path written = dump;
        try {
            if (written != null && finishedNormally && Files.isRegularFile(written) && Files.size(written) > 0) {
                Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log.debug("workers' class-data archive written: {}", archive);
                prune(archive.getParent(), KEEP);
            }
        } catch (IOException e) {
            log.debug("no class-data archive from that worker: {}", e.toString());
        } finally {
            try {
                if (written != null) {
                    Files.deleteIfExists(written);
                }
            } catch (IOException ignored) {
                // Harmless: a stray temporary file beside the archives.
            }
            dump = null;
            dumping.set(false);
        }
    }

    /**
     * Deletes all but the {@code keep} most recently used archives of {@code dir}, and archives
     * half-written an hour ago or more (by a parent killed before it could move or drop them).
     */
    static void prune(Path dir, int keep) throws IOException {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "worker-*.jsa")) {
            files.forEach(archives::add);
        }
        long anHourAgo = System.currentTimeMillis() - 3_600_000;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "worker-*.jsa.*.tmp")) {
            for (Path stale : files) {
                if (lastModified(stale).toMillis() < anHourAgo) {
                    Files.deleteIfExists(stale);
                }
            }
        }
        archives.sort(Comparator.comparing(ClassDataSharing::lastModified).reversed());
        for (Path old : archives.subList(Math.min(keep, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // Only the pruning order depends on it.
        }
    }

    private static void update(MessageDigest digest, String value) {
        digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
