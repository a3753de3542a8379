package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code astra new} as a user runs it, then the project it wrote built and tested by a real
 * {@code mvn} and run by the real {@code ./astra}: the README's commands, proving the starter works.
 *
 * <p>The starter depends on {@code io.astra:astra-core} and {@code astra-test} at this build's
 * version, which a CI {@code mvn verify} never installs. So this test lays out the jars and poms
 * this reactor just built (and their {@code io.astra} dependencies) as a Maven local repository
 * of its own, in a temporary directory, and runs the starter's build with it
 * ({@code -Dmaven.repo.local}) and with settings whose only remote is the machine's own local
 * repository as a {@code file://} URL, read and never written: everything else the build needs
 * (JUnit, the plugins, jOOQ, ...) the reactor's build resolved there already, so nothing is
 * downloaded and {@code ~/.m2} is left as it was.
 */
class NewProjectIT {

    private static final Path ROOT = LauncherIT.ROOT;
    /** The {@code io.astra} modules a starter's build needs: astra-test and what it depends on. */
    private static final List<String> MODULES = List.of("astra-core", "astra-plan", "astra-worker", "astra-scheduler",
            "astra-test");

    @TempDir
    Path dir;

    @Test
    void theStarterProjectBuildsPassesItsTestAndRunsWithAstra() throws Exception {
        LauncherIT.Result created = LauncherIT.astra(dir, "new", "my-pipeline");
        assertThat(created.code()).as(created.err()).isZero();
        Path project = dir.resolve("my-pipeline");
        assertThat(created.out()).contains("Wrote my-pipeline");

        Path repository = astraRepository(dir.resolve("repository"));
        Path settings = Files.writeString(dir.resolve("settings.xml"), settings(machineRepository()));
        Path log = dir.resolve("mvn.log");
        int code = mvn(project, log, "-B", "-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + repository,
                "package");

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(code).as(output).isZero();
        assertThat(output).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains("my_pipeline.HelloTest");
        assertThat(project.resolve("target/my-pipeline.jar")).exists();

        LauncherIT.Result run = LauncherIT.astra(project, "--cp", "target/my-pipeline.jar", "run", "Hello", "--name",
                "world");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 ran successfully").contains("Hello_world");
        assertThat(project.resolve("out/hello-world.txt")).content().isEqualTo("Hello, world!\n");

        LauncherIT.Result again = LauncherIT.astra(project, "--cp", "target/my-pipeline.jar", "run", "Hello", "--name",
                "world");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("Nothing to do");
    }

    /**
     * This build's {@code io.astra} artifacts under {@code repo}, laid out as {@code mvn install}
     * lays them out; with no {@code _remote.repositories} beside them, Maven takes them for
     * installed here, as they would be on a user's machine.
     */
    private static Path astraRepository(Path repo) throws IOException {
        String version = System.getProperty("astra.it.version", "0.1.0-SNAPSHOT");
        put(repo, "astra-parent", version, ROOT.resolve("pom.xml"), ".pom");
        put(repo, "astra-bom", version, ROOT.resolve("astra-bom/pom.xml"), ".pom");
        for (String module : MODULES) {
            put(repo, module, version, ROOT.resolve(module).resolve("pom.xml"), ".pom");
            put(repo, module, version, ROOT.resolve(module).resolve("target/" + module + "-" + version + ".jar"), ".jar");
        }
        put(repo, "astra-core", version, ROOT.resolve("astra-core/target/astra-core-" + version + "-tests.jar"),
                "-tests.jar");
        return repo;
    }

    /** Copies {@code file} to {@code <artifactId>-<version><suffix>} (suffix: {@code .pom}, {@code -tests.jar}, ...). */
    private static void put(Path repo, String artifactId, String version, Path file, String suffix)
            throws IOException {
        assertThat(file).as("built by this reactor (run mvn verify from the top, not -pl astra-cli alone)").exists();
        Path dir = repo.resolve("io/astra").resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(file, dir.resolve(artifactId + "-" + version + suffix),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The local repository of the Maven running this build (whatever the settings make it). */
    private static Path machineRepository() {
        String configured = System.getProperty("astra.it.localRepository");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The machine's local repository as the only remote ("central"), checksums not asked for (it keeps none). */
    private static String settings(Path machineRepository) {
        String url = machineRepository.toUri().toString();
        String policy = "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>this-machine-only</id>
                      <repositories>
                        <repository><id>central</id><url>%1$s</url>%2$s</repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>central</id><url>%1$s</url>%2$s</pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>this-machine-only</activeProfile></activeProfiles>
                </settings>
                """.formatted(url, policy);
    }

    /** Runs the Maven that runs this build (else the one on the PATH) in {@code cwd}; its output goes to {@code log}. */
    private static int mvn(Path cwd, Path log, String... args) throws IOException, InterruptedException {
        String home = System.getProperty("astra.it.mavenHome");
        List<String> command = new ArrayList<>();
        command.add(home != null && !home.isBlank() ? Path.of(home, "bin", "mvn").toString() : "mvn");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("ASTRA_CONFIG");
        builder.environment().remove("MAVEN_ARGS");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", args) + " did not finish in 10 minutes:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return process.exitValue();
    }
}
