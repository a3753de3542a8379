package astra.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a cluster user gets it: the tarball this build made, unpacked into a directory
 * outside the checkout, made read-only, {@code bin/} put on the PATH, and run from another working
 * directory (with a home of its own, so the class-data archive has somewhere to go). Nothing may be
 * written into the unpacked tree; as root, whom permissions do not stop, that is checked by
 * comparing the tree before and after.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("astra.it.version");
    private static final Path TARBALL = Path.of(System.getProperty("astra.it.tarball"));
    private static final Path ZIP = Path.of(System.getProperty("astra.it.zip"));

    @TempDir
    static Path unpacked;
    @TempDir
    static Path home;

    static Path root;

    @BeforeAll
    static void unpackReadOnly() throws Exception {
        assertThat(TARBALL).as("mvn package makes it").isRegularFile();
        Result tar = run(List.of("tar", "xzf", TARBALL.toString(), "-C", unpacked.toString()), unpacked, Map.of());
        assertThat(tar.code()).as(tar.err()).isZero();
        root = unpacked.resolve("astra-" + VERSION);
        Result readOnly = run(List.of("chmod", "-R", "a-w", root.toString()), unpacked, Map.of());
        assertThat(readOnly.code()).as(readOnly.err()).isZero();
    }

    /** The astra command as a user types it: bin/ on the PATH, a home of its own, no ASTRA_* settings. */
    private static Result astra(Path cwd, Map<String, String> env, String... args) throws Exception {
        // env finds astra on the PATH given here, as a shell would (ProcessBuilder looks in this JVM's PATH)
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "astra"));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(Map.of(
                "PATH", root.resolve("bin") + ":" + System.getenv("PATH"),
                "HOME", home.toString(),
                "XDG_CACHE_HOME", home.resolve(".cache").toString()));
        all.putAll(env);
        return run(command, cwd, all);
    }

    @Test
    void theTarballHoldsTheLauncherLibrariesExampleCompletionModulefileAndNotices() throws Exception {
        assertThat(root.resolve("bin/astra")).isExecutable();
        assertThat(root.resolve("examples/astra-examples.jar")).isRegularFile();
        assertThat(root.resolve("share/bash-completion/completions/astra")).content().contains("complete -F");
        assertThat(root.resolve("share/modulefiles/astra/" + VERSION)).content()
                .startsWith("#%Module").contains("set version " + VERSION).contains("prepend-path PATH $root/bin");
        for (String file : List.of("README.md", "LICENSE", "NOTICE", "CHANGELOG.md", "utah.cfg.example")) {
            assertThat(root.resolve(file)).isRegularFile();
        }
        assertThat(root.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
        assertThat(root.resolve("CHANGELOG.md")).content().contains("## " + VERSION.replace("-SNAPSHOT", ""));
        // every bundled jar is named in NOTICE with its license (a new dependency must be added there)
        String notice = Files.readString(root.resolve("NOTICE"));
        try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
            List<String> third = jars.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("astra-"))
                    .map(n -> n.substring(0, n.length() - ".jar".length())).sorted().toList();
            assertThat(third).isNotEmpty().allSatisfy(jar -> assertThat(notice).contains("| " + jar + " |"));
        }
    }

    @Test
    void theModulefilePutsTheReleasesBinOnThePathFromWhereItLies() throws Exception {
        Path tclsh = Path.of("/usr/bin/tclsh");
        Assumptions.assumeTrue(Files.isExecutable(tclsh), "no /usr/bin/tclsh to evaluate the modulefile with");
        // Environment Modules and Lmod evaluate a modulefile as Tcl with their commands defined;
        // these stand-ins print what it asks of the environment.
        Path harness = home.resolve("module-harness.tcl");
        Files.writeString(harness, String.join("\n",
                "proc module-whatis {args} {}", "proc conflict {args} {}",
                "proc prepend-path {var value} { puts \"prepend-path $var $value\" }",
                "proc setenv {var value} { puts \"setenv $var $value\" }",
                "set ModulesCurrentModulefile [lindex $argv 0]", "source $ModulesCurrentModulefile", ""));
        Result loaded = run(List.of(tclsh.toString(), harness.toString(),
                root.resolve("share/modulefiles/astra/" + VERSION).toString()), home, Map.of());

        assertThat(loaded.code()).as(loaded.err()).isZero();
        assertThat(loaded.out()).isEqualTo("prepend-path PATH " + root.toRealPath().resolve("bin") + "\nsetenv ASTRA_HOME "
                + root.toRealPath() + "\n");
    }

    @Test
    void theZipHoldsWhatTheTarballHolds() throws Exception {
        List<String> tarEntries = List.of(run(List.of("tar", "tzf", TARBALL.toString()), unpacked, Map.of()).out()
                .split("\n")).stream().filter(e -> !e.endsWith("/")).sorted().toList();
        List<String> zipEntries;
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            zipEntries = zip.stream().filter(e -> !e.isDirectory()).map(e -> e.getName()).sorted().toList();
        }
        assertThat(zipEntries).isEqualTo(tarEntries);
    }

    @Test
    void versionNamesTheReleaseItsCommitAndTheJavaFromAnyDirectoryAndThroughASymlink(@TempDir Path cwd) throws Exception {
        Result version = astra(cwd, Map.of(), "--version");

        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("astra " + VERSION + " (commit ").contains("\nJava 17");

        Path link = cwd.resolve("links/astra");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, root.resolve("bin/astra"));
        Result linked = run(List.of(link.toString(), "--version"), cwd, Map.of("HOME", home.toString()));
        assertThat(linked.out()).isEqualTo(version.out());
    }

    @Test
    void theExamplePipelineRunsFromTheReadOnlyTreeAndWritesNothingIntoIt(@TempDir Path cwd) throws Exception {
        Map<String, String> before = snapshot(root);
        String[] example = {"--cp", root.resolve("examples/astra-examples.jar").toString(), "run", "ProcessField",
            "--field", "42", "--n-stars", "3", "--config", root.resolve("utah.cfg.example").toString()};

        Result first = astra(cwd, Map.of(), example);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("This run was a success");
        Result again = astra(cwd, Map.of(), example);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("complete");

        assertThat(cwd.resolve(".astra/astra.db")).isRegularFile();
        assertThat(cwd.resolve("out")).isDirectory();
        try (Stream<Path> archives = Files.list(home.resolve(".cache/astra/cds"))) {
            assertThat(archives.map(Path::toString)).anyMatch(a -> a.endsWith(".jsa"));
        }
        assertThat(snapshot(root)).as("nothing written into the unpacked release").isEqualTo(before);
    }

    @Test
    void aJavaOlderThan17IsRefusedWithWhereToPointJavaHome(@TempDir Path oldJdk) throws Exception {
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Files.createDirectories(oldJdk.resolve("bin"));
        Files.createSymbolicLink(oldJdk.resolve("bin/java"), realJava);
        Files.writeString(oldJdk.resolve("release"), "JAVA_VERSION=\"11.0.22\"\n");

        Result refused = astra(oldJdk, Map.of("JAVA_HOME", oldJdk.toString()), "--version");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("astra: needs Java 17 or newer, but " + oldJdk + "/bin/java is Java 11.0.22")
                .contains("set JAVA_HOME to a JDK 17+");
    }

    @Test
    void aPipelineProjectGetsTheApiWithSourcesAndJavadocPinnedByOneBom() throws Exception {
        Path checkout = Path.of(System.getProperty("astra.it.root"));
        for (String module : List.of("astra-core", "astra-test")) {
            Path target = checkout.resolve(module).resolve("target");
            try (ZipFile sources = new ZipFile(target.resolve(module + "-" + VERSION + "-sources.jar").toFile());
                    ZipFile javadoc = new ZipFile(target.resolve(module + "-" + VERSION + "-javadoc.jar").toFile())) {
                String api = module.equals("astra-core") ? "astra/core/Task" : "astra/test/AstraTestKit";
                assertThat(sources.getEntry(api + ".java")).as(module + " sources").isNotNull();
                assertThat(javadoc.getEntry(api + ".html")).as(module + " javadoc").isNotNull();
            }
        }
        String bom = Files.readString(checkout.resolve("astra-bom/pom.xml"));
        assertThat(bom).contains("<artifactId>astra-bom</artifactId>", "<version>" + VERSION + "</version>",
                "<artifactId>astra-core</artifactId>", "<artifactId>astra-test</artifactId>").doesNotContain("<parent>");
    }

    /** Every file and directory of a tree with its size, modification time and permissions. */
    private static Map<String, String> snapshot(Path tree) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.toList()) {
                files.put(tree.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p) + " "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return files;
    }

    record Result(int code, String out, String err) {}

    private static Result run(List<String> command, Path cwd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().remove("ASTRA_CONFIG");
        pb.environment().remove("ASTRA_CLASSPATH");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("astra-dist-out", ".txt");
        Path err = Files.createTempFile("astra-dist-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 5 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
