package astra.worker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every worker JVM's command line, from the one place that builds it. */
class WorkerLaunchTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void aChildRunsThisJavaWithSharingThenAstrasThenTheConfiguredOptionsOnThisClasspathAndTheUsers() {
        WorkerLaunch launch = new WorkerLaunch(List.of("-Xmx2g", "-XX:TieredStopAtLevel=4"), List.of("tasks.jar"));

        List<String> command = launch.child(List.of("-XX:SharedArchiveFile=a.jsa"));

        assertThat(command).containsExactly(JAVA, "-XX:SharedArchiveFile=a.jsa", "-XX:TieredStopAtLevel=1", "-Xmx2g",
                "-XX:TieredStopAtLevel=4", "-cp", String.join(File.pathSeparator, launch.classpath()),
                WorkerMain.class.getName());
        assertThat(launch.classpath()).endsWith("tasks.jar")
                .startsWith(System.getProperty("java.class.path").split(File.pathSeparator)[0]);
    }

    @Test
    void aJobsHostWorkersRunTheEntryOnThisJvmsJarsByAbsolutePathWithTheJobsOwnOptionsLast() {
        WorkerLaunch.Entry entry = new WorkerLaunch.Entry("some.Main", List.of("worker", "--config", "/etc/utah.cfg"));

        List<String> command = WorkerLaunch.hostWorkers(entry, List.of("--run", "7", "--workers", "4"));

        assertThat(command.subList(0, 3)).containsExactly(JAVA, "-XX:TieredStopAtLevel=1", "-cp");
        assertThat(command.get(3).split(File.pathSeparator)).allSatisfy(e -> assertThat(Path.of(e)).isAbsolute());
        assertThat(command.subList(4, command.size()))
                .containsExactly("some.Main", "worker", "--config", "/etc/utah.cfg", "--run", "7", "--workers", "4");
    }

    @Test
    void relativeClasspathEntriesBecomeAbsoluteAndEmptyOnesAreDropped() {
        assertThat(WorkerLaunch.absolute(List.of("lib/../tasks.jar", "", "/opt/x.jar")))
                .containsExactly(Path.of("tasks.jar").toAbsolutePath().toString(), "/opt/x.jar");
    }
}
