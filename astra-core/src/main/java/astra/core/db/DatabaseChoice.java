package astra.core.db;

import java.util.Objects;
import java.util.Optional;

/**
 * Which database a command uses and why: the settings, the profile they came from (none for
 * {@code --db}, {@code [database]} or the embedded default), and every profile of the config, so
 * that {@link Database#setProfile} can switch. Made by {@link DatabaseProfiles#choose}.
 *
 * @param settings the settings to connect with
 * @param profile  the chosen profile, or null
 * @param source   why: {@code --db}, {@code --profile}, {@code $ASTRA_PROFILE}, {@code domain of HOST},
 *                 {@code [database]} or {@code embedded default}
 * @param profiles all profiles of the config
 * @param baseAdminUser {@code [database] admin_user}, used when no profile is chosen, or null
 */
public record DatabaseChoice(
        DatabaseSettings settings, DatabaseProfile profile, String source, DatabaseProfiles profiles, String baseAdminUser) {

    public DatabaseChoice {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(profiles, "profiles");
    }

    /** Settings alone, with no profiles: what {@link Database#open(DatabaseSettings)} uses. */
    public static DatabaseChoice of(DatabaseSettings settings) {
        return new DatabaseChoice(settings, null, "settings", DatabaseProfiles.none(), null);
    }

    /** This choice with other settings (a smaller pool, a shorter timeout), its profile and source kept. */
    public DatabaseChoice withSettings(DatabaseSettings other) {
        return new DatabaseChoice(other, profile, source, profiles, baseAdminUser);
    }

    /** The chosen profile, if one is. */
    public Optional<DatabaseProfile> activeProfile() {
        return Optional.ofNullable(profile);
    }

    /** The user {@link Database#becomeAdmin()} connects as: the profile's, else {@code [database] admin_user}. */
    public Optional<String> adminUser() {
        return profile != null ? profile.admin() : Optional.ofNullable(baseAdminUser);
    }
}
