package astra.core.params;

import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.TaskName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Task classes shared by the tests here and by {@link IdPrinter} in a second JVM. */
final class TestTasks {

    private TestTasks() {}

    enum Band { G, R, I }

    /** A type with no codec of its own: read and written as JSON by Jackson. */
    record Window(double lo, double hi) {}

    interface NoRun extends Task {
        @Override
        default void run(TaskContext ctx) {}
    }

    /** Every supported type, as a record. */
    record Everything(
            @Param(description = "MJD of the plate") int mjd,
            long big,
            double snr,
            boolean flag,
            String name,
            LocalDate night,
            Instant at,
            Duration timeout,
            Path dir,
            Band band,
            List<String> tags,
            List<Band> bands,
            List<Integer> counts,
            Window window,
            Integer boxedInt,
            Map<String, Integer> weights) implements NoRun {}

    /** The base of a class task: its @Param fields come first. */
    static class ClassBase implements NoRun {
        @Param(description = "MJD of the plate") int mjd;
        @Param long big;
        @Param double snr;
        int notAParameter = 42;
    }

    /** Every supported type, as a class with an inherited part. */
    static class EverythingClass extends ClassBase {
        @Param boolean flag;
        @Param String name;
        @Param LocalDate night;
        @Param Instant at;
        @Param Duration timeout;
        @Param Path dir;
        @Param Band band;
        @Param List<String> tags;
        @Param List<Band> bands;
        @Param List<Integer> counts;
        @Param Window window;
        @Param Integer boxedInt;
        @Param Map<String, Integer> weights;

        private EverythingClass() {}
    }

    record Reduce(
            @Param(description = "MJD of the plate") int mjd,
            @Param(defaultValue = "dr17") String release,
            @Param(defaultValue = "4", significant = false, description = "threads") int threads) implements NoRun {}

    record NoParams() implements NoRun {}

    @TaskName("reduce-v2")
    record Renamed(int mjd) implements NoRun {}

    /** Command-line strings for every parameter of {@link Everything} and {@link EverythingClass}. */
    static Map<String, String> everythingCli() {
        Map<String, String> cli = new LinkedHashMap<>();
        cli.put("mjd", "59000");
        cli.put("big", "12345678901");
        cli.put("snr", "1.50");
        cli.put("flag", "YES");
        cli.put("name", " Ångström, Bob ");
        cli.put("night", "2024-01-31");
        cli.put("at", "2024-01-31T14:00:00+02:00");
        cli.put("timeout", "1h30m");
        cli.put("dir", "out/spectra");
        cli.put("band", "i");
        cli.put("tags", "g, r ,i");
        cli.put("bands", "[\"G\",\"i\"]");
        cli.put("counts", "1,2,3");
        cli.put("window", "{\"hi\":2.0,\"lo\":1}");
        cli.put("boxed-int", "7");
        cli.put("weights", "{\"b\":2,\"a\":1}");
        return cli;
    }

    /** Tasks whose ids must be the same in every JVM, built partly from strings. */
    static List<Task> samples() {
        return List.of(
                TaskSchema.of(Everything.class).build(everythingCli(), Map.of()),
                TaskSchema.of(EverythingClass.class).build(everythingCli(), Map.of()),
                new Reduce(59000, "dr17", 4),
                new Reduce(59001, "dr17", 4),
                new NoParams(),
                new Renamed(59000));
    }
}
