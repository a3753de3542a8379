package astra.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The built checkout a benchmark measures: its launcher, its jars, and the java to run them with. */
record Build(Path root, Path launcher, Path cliJar, Path benchJar, Path java) {

    static Build at(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return new Build(r, r.resolve("astra"), r.resolve("astra-cli/target/lib/astra-cli.jar"),
                r.resolve("astra-bench/target/astra-bench.jar"),
                Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** db-scheduler's jar, for the peer rows: copied there by astra-bench's package phase. */
    Path peerLib() {
        return root.resolve("astra-bench/target/peer-lib");
    }

    /** What is missing for a run, if anything. */
    Optional<String> missing() {
        for (Path p : new Path[] {launcher, cliJar, benchJar}) {
            if (!Files.exists(p)) {
                return Optional.of(p + " does not exist: build first (astra-bench/bench.sh does, or"
                        + " mvn -B -ntp package -DskipTests in " + root + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * The checkout this class was loaded from ({@code <root>/astra-bench/target/astra-bench.jar}
     * or {@code .../target/classes}), else the nearest directory above the working directory that
     * has the launcher.
     */
    static Optional<Path> findRoot() {
        try {
            Path source = Path.of(Build.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Optional<Path> above = withLauncherAbove(source);
            if (above.isPresent()) {
                return above;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: fall back to the working directory
        }
        return withLauncherAbove(Path.of("").toAbsolutePath());
    }

    private static Optional<Path> withLauncherAbove(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("astra")) && Files.isDirectory(p.resolve("astra-cli"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
