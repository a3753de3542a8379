package astra.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What Maven wrote into {@code astra-build.properties} when this astra-cli was built: Astra's
 * version, the commit it was built from, and the versions {@code astra new} pins in a starter pom.
 */
final class BuildInfo {

    private static final String RESOURCE = "astra/cli/astra-build.properties";
    private static final Properties BUILD = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: astra-cli was not built by Maven");
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build;
    }

    /** A property as the build wrote it; null when the build left it unset (still {@code ${...}}). */
    static String get(String name) {
        String value = BUILD.getProperty(name);
        return value == null || value.startsWith("${") ? null : value;
    }

    /**
     * The lines of {@code astra --version}: Astra's version and commit, and the Java it runs on
     * (version, vendor, home), the latter being what a cluster's module system chose.
     */
    static String[] versionLines() {
        String commit = get("astra.commit");
        String built = commit == null ? "commit unknown (built outside a git checkout)"
                : "commit " + commit + ("true".equals(get("astra.dirty")) ? ", with uncommitted changes" : "");
        return new String[] {
            "astra " + get("astra.version") + " (" + built + ")",
            "Java " + System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                    + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")"
        };
    }
}
