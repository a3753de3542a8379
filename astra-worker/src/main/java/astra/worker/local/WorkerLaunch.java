package astra.worker.local;

import astra.worker.WorkerOptions;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of every worker JVM, built in this one place: a child of this host's pool
 * ({@link WorkerMain}, which reads its spec from standard input), and the host workers a Slurm
 * job starts (an {@link Entry}). Both run the same java as this process, on its jars.
 */
public final class WorkerLaunch {

    /**
     * Options every child gets before {@code [worker] jvm_options}, which come later and win.
     * C1 only: a child runs thousands of short steps (claims, records, small tasks), and the
     * optimising compiler costs more than it returns over a child's life. FanOut of 3,000 trivial
     * tasks on 2 workers: 12.1 s of CPU with both compilers, 6.8 s with C1 alone; the example's
     * 6,000 spectrum fits: 1.3 s of batch time against 0.64 s. A task that computes for minutes
     * in Java gets C2 back with {@code [worker] jvm_options = -XX:TieredStopAtLevel=4}.
     */
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    /**
     * What a Slurm job runs to become this host's workers: a main class and the arguments every
     * job of a run shares (for {@code astra worker}: the config, the database, the tasks'
     * classpath). The program that owns that command line makes the entry; the Slurm pool adds
     * each job's own options, {@code --run R --workers N [--families A,B | --except-families A,B]}.
     */
    public record Entry(String mainClass, List<String> arguments) {
        public Entry {
            arguments = List.copyOf(arguments);
        }
    }

    private final List<String> jvmOptions;
    private final List<String> classpath;

    /**
     * @param jvmOptions {@code [worker] jvm_options}
     * @param userClasspath the user's tasks, after this JVM's own classpath
     */
    public WorkerLaunch(List<String> jvmOptions, List<String> userClasspath) {
        this.jvmOptions = List.copyOf(jvmOptions);
        List<String> entries = new ArrayList<>(thisClasspath());
        entries.addAll(userClasspath);
        this.classpath = List.copyOf(entries);
    }

    public static WorkerLaunch of(WorkerOptions options) {
        return new WorkerLaunch(options.jvm().options(), options.jvm().classpath());
    }

    /** Every child's classpath: this JVM's, then the user's. */
    public List<String> classpath() {
        return classpath;
    }

    /** A child of this host's pool, with its class-data sharing options first. */
    List<String> child(List<String> sharingOptions) {
        return command(sharingOptions, jvmOptions, classpath, WorkerMain.class.getName(), List.of());
    }

    /**
     * The host workers of a Slurm job: this JVM's jars as absolute paths (the job starts in a
     * directory of its own; Slurm sites give the nodes the same paths), the entry's main class and
     * shared arguments, then the job's own. Their children get {@code [worker] jvm_options} there.
     */
    public static List<String> hostWorkers(Entry entry, List<String> jobArguments) {
        List<String> arguments = new ArrayList<>(entry.arguments());
        arguments.addAll(jobArguments);
        return command(List.of(), List.of(), absolute(thisClasspath()), entry.mainClass(), arguments);
    }

    /** Classpath entries as absolute, normalized paths, for a process that starts in another directory. */
    public static List<String> absolute(List<String> entries) {
        return entries.stream().filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString()).toList();
    }

    private static List<String> command(List<String> sharingOptions, List<String> jvmOptions, List<String> classpath,
            String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(sharingOptions);
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    private static List<String> thisClasspath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
