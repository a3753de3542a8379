package astra.cli;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.core.db.Database;
import astra.core.db.DatabaseChoice;
import astra.core.db.DatabaseSettings;
import astra.scheduler.ExecutionSummary;
import astra.scheduler.Scheduler;
import astra.scheduler.SchedulerOptions;
import astra.worker.AttemptLogs;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPoolFactory;
import astra.worker.local.ProcessWorkerPool;
import astra.worker.slurm.SlurmOptions;
import astra.worker.slurm.SlurmWorkerPool;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run",
        description = "Runs a task and every task it needs that is not complete yet.",
        synopsisHeading = "Usage: ",
        customSynopsis = {"astra run <Task> [--<parameter> <value>]...",
                "          [--workers N] [--executor local|slurm] [--quiet | --json] [--config FILE] [--db URL]",
                "          [--cp PATHS] [--debug]"},
        footer = {"", "Examples:",
                "  astra run ProcessField --field 42 --workers 4",
                "  astra run ProcessField --field 42 --json > summary.json",
                "  astra run ProcessField --help        lists ProcessField's parameters",
                "",
                "On a terminal a progress bar shows done/total, rate, ETA, and running, failed, pending",
                "tasks (log lines below WARN are then left out unless [core] log_level is set); when the",
                "output is not a terminal, a plain progress line is printed every [core] progress_interval",
                "(10 s) instead."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N",
            description = "Tasks run at once: worker slots, spread over [worker] processes JVMs (default: [core] workers, else 1).")
    Integer workers;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--executor", paramLabel = "E",
            description = "Where tasks run: local (worker processes of this host) or slurm (Slurm jobs running "
                    + "astra worker; needs PostgreSQL) (default: [core] executor, else local).")
    String executor;

    @Option(names = {"-q", "--quiet"},
            description = "No progress and no log below WARN; print only the summary's last line.")
    boolean quiet;

    @Option(names = "--json", description = "Print the summary as JSON on stdout, and no progress.")
    boolean json;

    @Option(names = {"-h", "--help"}, description = "Show this help, or with a task, the task's parameters.")
    boolean help;

    @Parameters(paramLabel = "TASK [PARAMETERS]", arity = "0..*",
            description = "The task's family or class name, then its parameters as --name value.")
    List<String> taskAndArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (taskAndArgs.isEmpty()) {
            if (help) {
                spec.commandLine().usage(out);
                return ExitCodes.OK;
            }
            throw new AstraException.BadInput("astra run needs a task: astra run <Task> [--param value]...");
        }
        PrintWriter err = spec.commandLine().getErr();
        Config cfg = database.loadConfig(err);
        boolean terminal = System.console() != null;
        RunProgress.Mode progress = RunProgress.choose(quiet, json, terminal);
        // Quiet, JSON and the bar keep the terminal for themselves: Astra's own INFO lines would
        // tear the bar or mix with the JSON, so they are left out unless the config asks for them.
        boolean fewerLogs = progress != RunProgress.Mode.LINES && cfg.get("core", "log_level").isEmpty();
        String logLevel = Logging.configure(cfg, debug(), fewerLogs ? "WARN" : null);

        TaskLine.UserTasks user = TaskLine.userTasks(GlobalOptions.of(spec).classpath());
        TaskLine line = TaskLine.parse(taskAndArgs, user.catalog(), cfg, "astra run",
                "Runs %s and every task it needs that is not complete.", spec.options(), err);
        if (help) {
            out.print(line.usage());
            return ExitCodes.OK;
        }
        Task task = line.task();
        SchedulerOptions schedulerOptions = SchedulerOptions.from(cfg);
        DatabaseChoice choice = database.choice(cfg);
        DatabaseSettings settings = choice.settings();
        WorkerOptions workerOptions = Logging.withWorkerLevels(
                WorkerOptions.from(cfg, workers, settings, user.classpath().entries()), logLevel);
        if (quiet || json) {
            // What tasks print stays in their attempt logs (astra logs TASK), off the terminal.
            workerOptions = workerOptions.withJvmOption("-D" + AttemptLogs.ECHO_PROPERTY + "=false");
        }
        SlurmOptions slurm = SlurmOptions.from(cfg, executor);
        WorkerPoolFactory pools = ProcessWorkerPool.factory(workerOptions);
        if (slurm.usesSlurm()) {
            // Refused here, before anything starts: a SQLite file, or a --db whose password the job script would hold.
            DatabaseOptions.requireShared(settings, "The Slurm executor");
            pools = SlurmWorkerPool.placed(workerOptions, slurm,
                    WorkerCommand.jobEntry(cfg, choice, user.classpath().entries(), debug()), Path.of("").toAbsolutePath());
        }

        // While it runs, what the tasks' requires() and complete() print in this process goes to
        // stderr: stdout is the summary's, or the JSON's.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try (Database opened = Database.open(settings)) {
            Scheduler scheduler = new Scheduler(opened, schedulerOptions, pools)
                    .withEvents(cfg, user.classpath().loader());
            return runStoppingOnInterrupt(scheduler, opened, task, out, progress, progressInterval(cfg));
        } finally {
            System.setOut(stdout);
        }
    }

    /**
     * On Ctrl-C, stops claiming and waits (boundedly) for running tasks to be recorded, so that
     * every task ends up either done or runnable again by the next run.
     */
    private int runStoppingOnInterrupt(Scheduler scheduler, Database database, Task task, PrintWriter out,
            RunProgress.Mode progressMode, Duration lineEvery) throws Exception {
        return StopOnSignal.around(spec.commandLine().getErr(),
                "astra: interrupted: stopping the workers; the tasks they held run again next time", scheduler::stop,
                () -> {
                    ExecutionSummary summary;
                    try (RunProgress progress = RunProgress.watch(progressMode, scheduler, database.store(),
                            spec.commandLine().getErr(), lineEvery)) {
                        summary = scheduler.run(List.of(task), "astra run " + String.join(" ", taskAndArgs));
                    }
                    // Printed before the hook is released: once it returns, the JVM may end at any moment.
                    out.print(json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary.asData()) + "\n"
                            : quiet ? summary.verdict() + "\n" : summary.render());
                    out.flush();
                    return ExitCodes.of(summary.outcome());
                });
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Duration progressInterval(Config cfg) {
        Duration every = cfg.getDuration(ConfigKeys.PROGRESS_INTERVAL);
        if (every.isNegative() || every.isZero()) {
            throw new AstraException.BadConfig("[core] progress_interval must be above 0, got " + every);
        }
        return every;
    }

    private boolean debug() {
        return GlobalOptions.of(spec).debug();
    }
}
