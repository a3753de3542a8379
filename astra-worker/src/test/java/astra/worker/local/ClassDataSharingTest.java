package astra.worker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When children share a class-data archive, and how it is written once and then mapped. */
class ClassDataSharingTest {

    @TempDir
    Path dir;

    Path cache;
    List<String> jars;

    @BeforeEach
    void jars() throws IOException {
        cache = dir.resolve("cache");
        Path a = Files.writeString(dir.resolve("a.jar"), "not really a jar; only its size and time count");
        Path b = Files.writeString(dir.resolve("b.jar"), "another");
        jars = List.of(a.toString(), b.toString());
    }

    private ClassDataSharing sharing(List<String> options) {
        return ClassDataSharing.of(options, jars, Optional.of(cache)).orElseThrow();
    }

    @Test
    void theFirstChildWritesTheArchiveAndLaterChildrenMapIt() throws IOException {
        ClassDataSharing sharing = sharing(List.of());

        ClassDataSharing.ChildOptions first = sharing.nextChild();
        ClassDataSharing.ChildOptions meanwhile = sharing.nextChild();

        assertThat(first.writesArchive()).isTrue();
        String dump = first.options().stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit="))
                .findFirst().orElseThrow().substring("-XX:ArchiveClassesAtExit=".length());
        assertThat(meanwhile.writesArchive()).isFalse();
        assertThat(meanwhile.options()).as("no archive yet, none to map").noneMatch(o -> o.startsWith("-XX:Shared"))
                .contains("-Xlog:cds=off");

        Files.writeString(Path.of(dump), "an archive");
        sharing.archiveWritten(true);

        assertThat(sharing.archive()).exists().hasContent("an archive");
        assertThat(Path.of(dump)).doesNotExist();
        ClassDataSharing.ChildOptions later = sharing.nextChild();
        assertThat(later.writesArchive()).isFalse();
        assertThat(later.options()).contains("-XX:SharedArchiveFile=" + sharing.archive(), "-Xlog:cds=off");
    }

    @Test
    void anArchiveFromAChildThatDidNotFinishIsDroppedAndTheNextChildTriesAgain() throws IOException {
        ClassDataSharing sharing = sharing(List.of());
        ClassDataSharing.ChildOptions killed = sharing.nextChild();
        Path dump = Path.of(killed.options().get(killed.options().size() - 1).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(dump, "half an archive");

        sharing.archiveWritten(false);

        assertThat(sharing.archive()).doesNotExist();
        assertThat(dump).doesNotExist();
        assertThat(sharing.nextChild().writesArchive()).isTrue();
    }

    @Test
    void theArchiveIsKeyedByTheJarsAndTheOptions() throws IOException {
        Path first = sharing(List.of()).archive();

        assertThat(sharing(List.of()).archive()).isEqualTo(first);
        assertThat(sharing(List.of("-Xmx2g")).archive()).isNotEqualTo(first);
        Files.setLastModifiedTime(Path.of(jars.get(1)), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(sharing(List.of()).archive()).as("a rebuilt jar").isNotEqualTo(first);
    }

    @Test
    void noSharingForDirectoriesOnTheClasspathOptionsThatChooseOrNoCache() {
        assertThat(ClassDataSharing.of(List.of(), List.of(jars.get(0), dir.toString()), Optional.of(cache))).isEmpty();
        assertThat(ClassDataSharing.of(List.of(), List.of(dir.resolve("missing.jar").toString()), Optional.of(cache)))
                .isEmpty();
        assertThat(ClassDataSharing.of(List.of("-Xshare:off"), jars, Optional.of(cache))).isEmpty();
        assertThat(ClassDataSharing.of(List.of("-XX:SharedArchiveFile=/x.jsa"), jars, Optional.of(cache))).isEmpty();
        assertThat(ClassDataSharing.of(List.of(), jars, Optional.empty())).isEmpty();
    }

    @Test
    void pruningKeepsTheArchivesUsedLastAndDropsOldHalfWrittenOnes() throws IOException {
        Files.createDirectories(cache);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 6; i++) {
            Path archive = Files.writeString(cache.resolve("worker-" + i + ".jsa"), "x");
            Files.setLastModifiedTime(archive, FileTime.fromMillis(now - i * 60_000L));
        }
        Path stale = Files.writeString(cache.resolve("worker-9.jsa.123.tmp"), "x");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(now - 2 * 3_600_000L));
        Path writing = Files.writeString(cache.resolve("worker-8.jsa.456.tmp"), "x");

        ClassDataSharing.prune(cache, 4);

        try (var files = Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly(
                    "worker-0.jsa", "worker-1.jsa", "worker-2.jsa", "worker-3.jsa", "worker-8.jsa.456.tmp");
        }
        assertThat(writing).exists();
    }
}
