package astra.core.db;

import astra.core.AstraException;
import astra.core.internal.Failures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;

/**
 * The PostgreSQL password file, as libpq reads it: {@code hostname:port:database:username:password}
 * per line, {@code *} matching anything in the first four fields, {@code \:} and {@code \\} for a
 * literal colon and backslash, {@code #} starting a comment line; the first matching line wins.
 *
 * <p>The file is the system property {@code org.postgresql.pgpassfile} (pgjdbc's own), else
 * {@code $PGPASSFILE}, else {@code ~/.pgpass}; a file that does not exist holds no password. Like
 * libpq, and unlike pgjdbc, a file that its group or others may read is refused.
 *
 * <p>{@link #toString()} names the file, never a password.
 */
public final class Pgpass {

    /** pgjdbc's system property naming the file; Astra honours it too. */
    public static final String FILE_PROPERTY = "org.postgresql.pgpassfile";
    /** libpq's environment variable naming the file. */
    public static final String FILE_ENV = "PGPASSFILE";

    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;

    private Pgpass(Path file) {
        this.file = file;
    }

    /** This process's file: the system property, {@code $PGPASSFILE}, or {@code ~/.pgpass}. */
    public static Pgpass system() {
        return locate(System.getProperty(FILE_PROPERTY), System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The file named by {@code property} if not blank, else by {@code env}'s PGPASSFILE, else {@code <home>/.pgpass}. */
    public static Pgpass locate(String property, Map<String, String> env, Path home) {
        Objects.requireNonNull(env, "env");
        if (property != null && !property.isBlank()) {
            return new Pgpass(Path.of(property.strip()));
        }
        String named = env.get(FILE_ENV);
        if (named != null && !named.isBlank()) {
            return new Pgpass(Path.of(named.strip()));
        }
        return new Pgpass(home.resolve(".pgpass"));
    }

    /** The file this reads (it may not exist). */
    public Path file() {
        return file;
    }

    /** Whether the file exists. */
    public boolean exists() {
        return Files.exists(file);
    }

    /**
     * The password of the first line matching all four values, if the file exists and has one.
     *
     * @throws AstraException.BadConfig if the file is not a plain file, or its group or others
     *     have any access to it
     */
    public Optional<String> password(String host, int port, String database, String user) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        checkPermissions();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new AstraException.BadConfig("cannot read the password file " + file + ": " + e.getMessage());
        }
        String[] wanted = {host, Integer.toString(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() >= 5 && matches(fields, wanted)) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    /**
     * The password for the first host, the port and the database of a PostgreSQL URL, and the
     * settings' user (else the URL's, else the system user, as the driver does); empty for
     * SQLite, for a URL with its own {@code password=}, or when no line matches.
     *
     * @throws AstraException.BadConfig if the file is open to others
     */
    public Optional<String> passwordFor(DatabaseSettings settings) {
        if (settings.isSqlite() || settings.urlParameter("password").isPresent()) {
            return Optional.empty();
        }
        Optional<String[]> key = keyOf(settings);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String[] k = key.get();
        try {
            return password(k[0], Integer.parseInt(k[1]), k[2], k[3]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * What a line of this file must start with to give the settings' connection its password,
     * {@code host:port:database:user}; empty for SQLite or a URL the driver cannot read.
     */
    public Optional<String> lineFor(DatabaseSettings settings) {
        return settings.isSqlite() ? Optional.empty() : keyOf(settings).map(k -> String.join(":", k));
    }

    /** Host, port, database and user, as the driver connects (the first host, the system user by default). */
    private static Optional<String[]> keyOf(DatabaseSettings settings) {
        Properties parsed = Driver.parseURL(settings.url(), null);
        if (parsed == null) {
            // The driver itself reports the malformed URL when asked to connect.
            return Optional.empty();
        }
        String host = firstOf(parsed.getProperty("PGHOST"), "localhost");
        String port = firstOf(parsed.getProperty("PGPORT"), "5432");
        String database = parsed.getProperty("PGDBNAME", "");
        String user = settings.effectiveUser().orElse(System.getProperty("user.name"));
        return Optional.of(new String[] {host, port, database, user});
    }

    private static String firstOf(String commaSeparated, String fallback) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return fallback;
        }
        return commaSeparated.split(",", -1)[0].strip();
    }

    /**
     * Refuses a file others may read, with libpq's words.
     *
     * @throws AstraException.BadConfig if the file is not a plain file or is open to its group or others
     */
    public void checkPermissions() {
        if (!Files.isRegularFile(file)) {
            throw new AstraException.BadConfig("password file " + file + " is not a plain file");
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException notPosix) {
            // libpq skips the check on Windows too: the file lives in the user's own profile there.
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (permissions.stream().anyMatch(OTHERS::contains)) {
            throw new AstraException.BadConfig("password file " + file
                    + " has group or world access; permissions should be u=rw (0600) or less (chmod 600 " + file + ")");
        }
    }

    private static boolean matches(List<String> fields, String[] wanted) {
        for (int i = 0; i < wanted.length; i++) {
            String field = fields.get(i);
            if (!field.equals("*") && !field.equals(wanted[i])) {
                return false;
            }
        }
        return true;
    }

    /** Splits on unescaped colons; the fifth field takes the rest of the line, as in libpq. */
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    @Override
    public String toString() {
        return "Pgpass[" + file + "]";
    }

    /**
     * The server asked for a password that Astra had none for ("no password was provided", in the
     * driver's words): which line the password file lacks, and where it was looked for.
     */
    Optional<String> missingPassword(DatabaseSettings target, Throwable e) {
        String reason = Failures.reason(e);
        if (target.isSqlite() || !reason.contains("no password was provided")) {
            return Optional.empty();
        }
        String line = lineFor(target).orElse("host:port:database:user");
        return Optional.of("cannot connect to " + target.describe() + ": the server asks for a password, and "
                + file() + (exists() ? " has no line for " : " does not exist; it needs a line ")
                + line + ":PASSWORD (mode 0600; * matches any field; $PGPASSFILE points elsewhere)");
    }
}
