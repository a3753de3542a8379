package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code astra new}: what it writes, and the inputs it refuses (exit 2, one line, no stack trace). */
class NewCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesAStarterProjectWithItsPackageAndThisAstrasVersion() throws Exception {
        Cli.Result result = Cli.astra("new", "my-pipeline", "--in", dir.toString());

        assertThat(result.code()).as(result.err()).isZero();
        Path project = dir.resolve("my-pipeline");
        assertThat(result.out()).contains("Wrote " + project).contains("astra --cp target/my-pipeline.jar run Hello --name world");
        assertThat(project.resolve("src/main/java/my_pipeline/Hello.java")).content().startsWith("package my_pipeline;");
        assertThat(project.resolve("src/test/java/my_pipeline/HelloTest.java")).content().contains("AstraTestKit.sqlite()");
        assertThat(project.resolve("utah.cfg")).content().contains("[Hello]");
        assertThat(project.resolve(".gitignore")).exists();
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>my-pipeline</artifactId>").contains("<artifactId>astra-test</artifactId>")
                .containsPattern("<astra.version>\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?</astra.version>").doesNotContain("{{");
        assertThat(project.resolve("README.md")).content()
                .contains("mvn -q package && astra --cp target/my-pipeline.jar run Hello --name world")
                .contains("mvn test").contains("mvn install -DskipTests");
    }

    @Test
    void helpSaysWhatItWritesAndHowToRunIt() {
        Cli.Result result = Cli.astra("new", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Usage: astra new").contains("--in=DIR").contains("run Hello --name world");
    }

    @Test
    void anEmptyDirectoryOfThatNameIsUsed() throws Exception {
        Files.createDirectory(dir.resolve("empty"));

        assertThat(Cli.astra("new", "empty", "--in", dir.toString()).code()).isZero();
        assertThat(dir.resolve("empty/pom.xml")).exists();
    }

    @Test
    void refusesADirectoryThatIsNotEmptyAndLeavesItAlone() throws Exception {
        Files.createDirectories(dir.resolve("taken"));
        Files.writeString(dir.resolve("taken/notes.txt"), "mine");

        Cli.Result result = Cli.astra("new", "taken", "--in", dir.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("astra: astra new: " + dir.resolve("taken")
                + " exists and is not empty; choose another name, or --in another directory\n");
        try (var files = Files.list(dir.resolve("taken"))) {
            assertThat(files).containsExactly(dir.resolve("taken/notes.txt"));
        }
    }

    @Test
    void refusesAFileOfThatName() throws Exception {
        Files.writeString(dir.resolve("plain"), "");

        Cli.Result result = Cli.astra("new", "plain", "--in", dir.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("exists and is not a directory").doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"My-Pipeline", "1pipeline", "my_pipeline", "my--pipeline", "my-pipeline-", "my.pipeline", "../up"})
    void refusesANameThatIsNotAnArtifactId(String name) {
        Cli.Result result = Cli.astra("new", name, "--in", dir.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("astra: astra new: '" + name + "' is not a project name")
                .doesNotContain("Exception").hasLineCount(1);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesANameThatIsAJavaKeyword() {
        Cli.Result result = Cli.astra("new", "class", "--in", dir.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("'class' cannot be a Java package name").hasLineCount(1);
        assertThat(dir).isEmptyDirectory();
    }
}
