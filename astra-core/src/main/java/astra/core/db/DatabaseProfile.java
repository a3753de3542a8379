package astra.core.db;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code [database.profile NAME]} section of the config: a named way to a database, as
 * Python Astra's profiles were (one per site: a laptop, the cluster, the operations host).
 *
 * <p>{@link #toString()} shows no password.
 *
 * @param name      the profile's name, the text after {@code database.profile}
 * @param settings  its URL, user and pool settings
 * @param adminUser the user {@link Database#becomeAdmin()} connects as, or null
 * @param domain    the host domain it is for ({@code *.utah.edu}, or {@code utah.edu} for any host in it), or null
 */
public record DatabaseProfile(String name, DatabaseSettings settings, String adminUser, String domain) {

    public DatabaseProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        adminUser = blankToNull(adminUser);
        domain = blankToNull(domain);
    }

    /** The admin user, if the profile names one. */
    public Optional<String> admin() {
        return Optional.ofNullable(adminUser);
    }

    /**
     * Whether {@code host} (a fully qualified name) is in this profile's domain: a glob with
     * {@code *} and {@code ?} must match the whole name; a plain domain matches itself and any
     * name ending in {@code .domain}. Case does not matter; no domain matches nothing.
     */
    public boolean matchesHost(String host) {
        if (domain == null || host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.contains("*") || d.contains("?")) {
            return h.matches(glob(d));
        }
        String bare = d.startsWith(".") ? d.substring(1) : d;
        return h.equals(bare) || h.endsWith("." + bare);
    }

    @Override
    public String toString() {
        return "DatabaseProfile[" + name + ": " + settings.describe()
                + (adminUser == null ? "" : ", admin " + adminUser) + (domain == null ? "" : ", domain " + domain) + "]";
    }

    private static String glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("(?<=[*?])|(?=[*?])")) {
            regex.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(part);
            });
        }
        return regex.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
