package astra.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * A file. Writes are atomic: they go to a temporary file in the same directory, renamed onto the
 * target only when the writer returns normally, so a task that fails leaves no partial file and
 * the target never "exists" half-written.
 */
public final class FileTarget implements Target {

    /** Writes to a stream; may throw anything, which aborts the write. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws Exception;
    }

    /** Writes text; may throw anything, which aborts the write. */
    @FunctionalInterface
    public interface TextWriter {
        void write(BufferedWriter out) throws Exception;
    }

    private final Path path;

    public FileTarget(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public Path path() {
        return path;
    }

    @Override
    public boolean exists() {
        return Files.exists(path);
    }

    /** Writes the file atomically; on any exception nothing is left behind and it is rethrown. */
    public void write(StreamWriter writer) throws Exception {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes UTF-8 text atomically. */
    public void writeText(TextWriter writer) throws Exception {
        write(out -> {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                writer.write(w);
            }
        });
    }

    /** Writes a string as UTF-8, atomically. */
    public void writeString(String content) throws Exception {
        write(out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads the whole file as UTF-8. */
    public String readString() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileTarget other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return "FileTarget(" + path + ")";
    }
}
