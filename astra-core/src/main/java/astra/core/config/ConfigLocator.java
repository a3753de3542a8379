package astra.core.config;

import astra.core.AstraException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds {@code utah.cfg} in the documented order and reads it. */
final class ConfigLocator {

    static final String ENV_VAR = "ASTRA_CONFIG";
    static final String FILE_NAME = "utah.cfg";

    /** A config file to read; {@code displayName} is how messages name it. */
    record Located(Path path, String displayName) {}

    private ConfigLocator() {}

    /**
     * The explicit path if given, else {@code $ASTRA_CONFIG} if set and not blank (both must
     * exist), else {@code <workingDir>/utah.cfg}, else {@code <homeDir>/.config/astra/utah.cfg}
     * (used only if they exist). Relative paths are taken from {@code workingDir}.
     */
    static Optional<Located> locate(Path explicit, Map<String, String> env, Path workingDir, Path homeDir) {
        if (explicit != null) {
            return Optional.of(mustExist(workingDir.resolve(explicit), explicit.toString(), ""));
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path path;
            try {
                path = workingDir.resolve(fromEnv);
            } catch (InvalidPathException e) {
                throw new AstraException.BadConfig("$" + ENV_VAR + " is not a valid path: '" + fromEnv + "'");
            }
            return Optional.of(mustExist(path, fromEnv, " (from $" + ENV_VAR + ")"));
        }
        Path local = workingDir.resolve(FILE_NAME);
        if (Files.exists(local)) {
            return Optional.of(new Located(local, FILE_NAME));
        }
        Path home = homeDir.resolve(".config").resolve("astra").resolve(FILE_NAME);
        if (Files.exists(home)) {
            return Optional.of(new Located(home, "~/.config/astra/" + FILE_NAME));
        }
        return Optional.empty();
    }

    /** The file's text; a directory, an unreadable file or bad UTF-8 is a BadConfig. */
    static String read(Located located) {
        Path path = located.path();
        if (Files.isDirectory(path)) {
            throw new AstraException.BadConfig("config file " + located.displayName() + " is a directory");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new AstraException.BadConfig("config file " + located.displayName() + " is not UTF-8 text");
        } catch (IOException e) {
            throw new AstraException.BadConfig("config file " + located.displayName() + " cannot be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static Located mustExist(Path path, String displayName, String origin) {
        if (!Files.exists(path)) {
            throw new AstraException.BadConfig("config file " + displayName + origin + " does not exist");
        }
        return new Located(path, displayName);
    }
}
