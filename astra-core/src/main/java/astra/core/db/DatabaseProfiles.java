package astra.core.db;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.core.internal.Suggestions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The database profiles of a config, {@code [database.profile NAME]} sections, in file order,
 * and the rule that picks the database a command uses ({@link #choose}).
 *
 * <p>A profile holds {@code url} (required), {@code user}, {@code admin_user} and {@code domain};
 * {@code pool_size}, {@code use_pooling}, {@code connect_timeout}, {@code outage_timeout}, {@code schema} and {@code echo} default to {@code [database]}'s.
 * Every profile is validated when the config is read, used or not.
 */
public final class DatabaseProfiles {

    /** The environment variable naming the profile when {@code --profile} does not. */
    public static final String PROFILE_ENV = "ASTRA_PROFILE";

    private static final Set<String> INHERITED = Set.of("pool_size", "use_pooling", "connect_timeout", "outage_timeout", "schema", "echo");
    private static final DatabaseProfiles NONE = new DatabaseProfiles(List.of(), null, "config");

    private final List<DatabaseProfile> profiles;
    private final String baseAdminUser;
    private final String sourceName;

    private DatabaseProfiles(List<DatabaseProfile> profiles, String baseAdminUser, String sourceName) {
        this.profiles = List.copyOf(profiles);
        this.baseAdminUser = baseAdminUser;
        this.sourceName = sourceName;
    }

    /** No profiles at all. */
    public static DatabaseProfiles none() {
        return NONE;
    }

    /**
     * The profiles of {@code config}, validated.
     *
     * @throws AstraException.BadConfig if a profile has no url or a bad value
     */
    public static DatabaseProfiles from(Config config) {
        List<DatabaseProfile> profiles = new ArrayList<>();
        for (String section : config.sections()) {
            if (!ConfigKeys.isProfileSection(section)) {
                continue;
            }
            String name = section.substring(ConfigKeys.PROFILE_SECTION_PREFIX.length()).strip();
            if (config.get(section, "url").map(String::isBlank).orElse(true)) {
                throw new AstraException.BadConfig(config.sourceName() + " [" + section + "] has no url: a profile "
                        + "needs one, e.g. url = jdbc:postgresql://db.example.org:5432/astra");
            }
            DatabaseSettings settings = DatabaseSettings.from(
                    (s, key) -> config.get(section, key)
                            .or(() -> INHERITED.contains(key) ? config.get(ConfigKeys.DATABASE, key) : Optional.empty()),
                    null, Path.of(""), section);
            profiles.add(new DatabaseProfile(name, settings,
                    config.get(section, "admin_user").orElse(null), config.get(section, "domain").orElse(null)));
        }
        String baseAdmin = config.get(ConfigKeys.DATABASE, "admin_user").filter(v -> !v.isBlank()).orElse(null);
        return new DatabaseProfiles(profiles, baseAdmin, config.sourceName());
    }

    /** Every profile, in file order. */
    public List<DatabaseProfile> all() {
        return profiles;
    }

    /** The profile called {@code name} (exact case), if there is one. */
    public Optional<DatabaseProfile> find(String name) {
        return profiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The profile called {@code name}.
     *
     * @param origin how the user named it, for the message: {@code --profile}, {@code $ASTRA_PROFILE}
     * @throws AstraException.BadInput if there is none, naming close matches
     */
    public DatabaseProfile get(String name, String origin) {
        return find(name.strip()).orElseThrow(() -> unknown(name.strip(), origin));
    }

    /** The first profile, in file order, whose domain matches {@code host}. */
    public Optional<DatabaseProfile> forHost(String host) {
        return profiles.stream().filter(p -> p.matchesHost(host)).findFirst();
    }

    /**
     * Picks the database: {@code --db} wins (with {@code [database]}'s other keys), then the profile
     * named by {@code --profile}, then by {@code $ASTRA_PROFILE}, then the first profile whose
     * {@code domain} matches this host's fully qualified name, then {@code [database]}, then the
     * embedded SQLite file. A profile named but not defined is an error even when {@code --db}
     * wins, so that a typo is never silently ignored.
     *
     * @param config  the config (for {@code [database]})
     * @param db      {@code --db}, or null
     * @param profile {@code --profile}, or null
     * @param env     the environment, for {@code $ASTRA_PROFILE}
     * @param host    this host's fully qualified name; asked only when some profile has a domain
     * @throws AstraException.BadInput if a named profile does not exist
     */
    public DatabaseChoice choose(Config config, String db, String profile, Map<String, String> env,
            Supplier<String> host, Path workingDir) {
        Objects.requireNonNull(env, "env");
        DatabaseProfile named = null;
        String source = null;
        if (profile != null && !profile.isBlank()) {
            named = get(profile, "--profile");
            source = "--profile";
        } else if (env.get(PROFILE_ENV) != null && !env.get(PROFILE_ENV).isBlank()) {
            named = get(env.get(PROFILE_ENV), "$" + PROFILE_ENV);
            source = "$" + PROFILE_ENV;
        }
        if (db != null && !db.isBlank()) {
            return new DatabaseChoice(DatabaseSettings.from(config, db, workingDir), null, "--db", this, baseAdminUser);
        }
        if (named != null) {
            return new DatabaseChoice(named.settings(), named, source, this, baseAdminUser);
        }
        if (profiles.stream().anyMatch(p -> p.domain() != null)) {
            String hostName = host.get();
            Optional<DatabaseProfile> byDomain = forHost(hostName);
            if (byDomain.isPresent()) {
                return new DatabaseChoice(byDomain.get().settings(), byDomain.get(), "domain of " + hostName, this,
                        baseAdminUser);
            }
        }
        DatabaseSettings settings = DatabaseSettings.from(config, null, workingDir);
        boolean configured = config.get(ConfigKeys.DATABASE, "url").map(u -> !u.isBlank()).orElse(false);
        return new DatabaseChoice(settings, null, configured ? "[database]" : "embedded default", this, baseAdminUser);
    }

    /** {@link #choose} with the process environment and this host's name. */
    public DatabaseChoice choose(Config config, String db, String profile, Path workingDir) {
        return choose(config, db, profile, System.getenv(), DatabaseProfiles::localHostName, workingDir);
    }

    /**
     * This host's fully qualified name as {@code hostname -f} prints it (what the original and the
     * README match a profile's domain against); else the name Java resolves for it; else
     * {@code localhost}.
     */
    public static String localHostName() {
        try {
            Process p = new ProcessBuilder("hostname", "-f").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()
                    && !out.contains(" ") && !out.contains("\n")) {
                return out;
            }
        } catch (IOException e) {
            // No hostname command: ask Java below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private AstraException.BadInput unknown(String name, String origin) {
        List<String> names = profiles.stream().map(DatabaseProfile::name).toList();
        if (names.isEmpty()) {
            return new AstraException.BadInput(origin + " names the profile '" + name + "', but " + sourceName
                    + " defines none: add a section [" + ConfigKeys.PROFILE_SECTION_PREFIX + name + "] with a url");
        }
        List<String> close = Suggestions.closest(name, names, 3);
        String hint = close.isEmpty() ? "; the profiles are: " + String.join(", ", names)
                : " (did you mean '" + String.join("' or '", close) + "'?)";
        return new AstraException.BadInput("unknown database profile '" + name + "' (from " + origin + ") in "
                + sourceName + hint);
    }

    @Override
    public String toString() {
        return "DatabaseProfiles" + profiles.stream().map(DatabaseProfile::name).toList();
    }
}
