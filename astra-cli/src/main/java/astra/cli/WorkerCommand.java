package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.ConnectionLimits;
import astra.core.db.Database;
import astra.core.db.DatabaseChoice;
import astra.core.db.DatabaseSettings;
import astra.core.internal.LocalProcess;
import astra.core.store.ClaimScope;
import astra.worker.ConnectionBudget;
import astra.worker.WorkerOptions;
import astra.worker.local.HostWorkers;
import astra.worker.local.ProcessWorkerPool;
import astra.worker.local.WorkerLaunch;
import astra.worker.slurm.SlurmCommands;
import astra.worker.slurm.SlurmOptions;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "worker",
        description = {"Starts workers on this host that claim tasks from the shared PostgreSQL database.",
                "They work as astra run's own workers do, on one run (--run), or on every live run in turn, oldest "
                        + "first (--any, the default). More hosts running astra worker means more workers on the same "
                        + "queue; a Slurm job of astra run --executor slurm runs one.",
                "Each worker runs [worker] initializers once, when it starts; Ctrl-C (or SIGTERM, as Slurm sends) gives "
                        + "back the tasks the workers hold, to run again."},
        synopsisHeading = "Usage: ",
        customSynopsis = {"astra worker [--workers N] [--run R | --any] [--exit-when-idle DURATION]",
                "             [--families A,B | --except-families A,B] [--config FILE] [--db URL | --profile NAME]"},
        footer = {"", "Examples:",
                "  astra worker --run 12 --workers 8        work on run 12 until it has nothing left",
                "  astra worker --any --exit-when-idle 10m  serve every run; exit after 10 minutes without work",
                "  astra worker --families FitSpectrum      only FitSpectrum tasks (a GPU host, say)",
                "",
                "SQLite cannot be shared by several hosts: configure PostgreSQL ([database] url)."})
final class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker processes on this host, each running one task at a time (default: [core] workers, else 1).")
    Integer workers;

    @ArgGroup(exclusive = true)
    Target target = new Target();

    static final class Target {
        @Option(names = "--run", paramLabel = "R", description = "Work on run R only; exit when it has nothing left.")
        Long run;

        @Option(names = "--any", description = "Work on every live run in turn, oldest first (the default).")
        boolean any;
    }

    @Option(names = "--exit-when-idle", paramLabel = "DURATION",
            description = "With --any: exit once no run has had work for this long (30s, 10m); default: never.")
    String exitWhenIdle;

    @ArgGroup(exclusive = true)
    Families families = new Families();

    static final class Families {
        @Option(names = "--families", paramLabel = "A,B", split = ",",
                description = "Claim tasks of these families only.")
        List<String> only;

        @Option(names = "--except-families", paramLabel = "A,B", split = ",",
                description = "Claim tasks of every family but these.")
        List<String> except;
    }

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        Optional<Duration> idle = Optional.empty();
        if (exitWhenIdle != null) {
            idle = Optional.of(Config.parseDuration(exitWhenIdle).filter(d -> !d.isZero() && !d.isNegative())
                    .orElseThrow(() -> new AstraException.BadInput("--exit-when-idle: '" + exitWhenIdle
                            + "' is not a duration above 0 (use e.g. 30s, 10m, 1h)")));
            if (target.run != null) {
                throw new AstraException.BadInput("--exit-when-idle is for --any: with --run the workers exit when "
                        + "the run has nothing left");
            }
        }
        ClaimScope scope = families.only != null ? ClaimScope.only(names(families.only, "--families"))
                : families.except != null ? ClaimScope.except(names(families.except, "--except-families"))
                : ClaimScope.ALL;
        Config cfg = database.loadConfig(spec.commandLine().getErr());
        String logLevel = Logging.configure(cfg, GlobalOptions.of(spec).debug());
        DatabaseSettings settings = database.settings(cfg);
        DatabaseOptions.requireShared(settings, "astra worker");
        TaskLine.UserTasks user = TaskLine.userTasks(GlobalOptions.of(spec).classpath());
        WorkerOptions options = Logging.withWorkerLevels(
                WorkerOptions.from(cfg, workers, settings, user.classpath().entries()), logLevel);
        String node = SlurmOptions.workerHost(System.getenv());
        String prefix = SlurmOptions.workerIdPrefix(System.getenv()) + node + ":" + LocalProcess.pid();
        try (Database opened = Database.open(settings.withPoolSize(HostWorkers.PARENT_POOL_SIZE))) {
            // This host's share of the server's connections, checked as astra run checks its own.
            Optional<ConnectionLimits> limits = opened.connectionLimits();
            ConnectionBudget budget = new ConnectionBudget(HostWorkers.PARENT_POOL_SIZE, options.workers(),
                    ProcessWorkerPool.factory(options).connections(), "astra worker");
            LoggerFactory.getLogger(WorkerCommand.class).info(budget.describe(limits));
            budget.check(limits);
            // Inside a Slurm job: claim only what finishes before the job's time limit, then end cleanly.
            Instant endBy = SlurmCommands.jobEnd(System.getenv()).orElse(null);
            if (endBy != null) {
                LoggerFactory.getLogger(WorkerCommand.class).info("this Slurm job ends at {}: its workers claim only"
                        + " tasks they expect to finish before then", endBy);
            }
            HostWorkers host = new HostWorkers(options, scope, opened, prefix, node, endBy, System.err);
            OptionalLong run = target.run == null ? OptionalLong.empty() : OptionalLong.of(target.run);
            Optional<Duration> exitWhenIdle = idle;
            // Ctrl-C, or SIGTERM as Slurm sends: the workers give back their tasks, then exit 130.
            return StopOnSignal.around(spec.commandLine().getErr(),
                    "astra worker: stopping: the workers give back the tasks they hold", host::stop, () -> {
                        host.serve(run, exitWhenIdle);
                        return Main.shuttingDown ? ExitCodes.INTERRUPTED : ExitCodes.OK;
                    });
        }
    }

    /**
     * What a Slurm job of a run runs to become {@code astra worker} on its node: this program's
     * main class with the same config, database and task classpath (the Slurm pool adds the run,
     * the node's workers and the group's families). Assumes, as Slurm sites do, that the jobs'
     * nodes see the same paths.
     */
    static WorkerLaunch.Entry jobEntry(Config cfg, DatabaseChoice db, List<String> userClasspath, boolean debug) {
        List<String> arguments = new ArrayList<>(List.of("worker"));
        cfg.source().ifPresent(file -> arguments.addAll(List.of("--config", file.toAbsolutePath().toString())));
        arguments.addAll(databaseInJob(db));
        if (!userClasspath.isEmpty()) {
            arguments.addAll(List.of("--cp", String.join(File.pathSeparator, WorkerLaunch.absolute(userClasspath))));
        }
        if (debug) {
            arguments.add("--debug");
        }
        return new WorkerLaunch.Entry(Main.class.getName(), arguments);
    }

    /**
     * How a job names the database this process uses: the profile, or {@code --db} as given (the
     * config's {@code [database]} comes with {@code --config}).
     *
     * @throws AstraException.BadConfig for a {@code --db} that carries a password, which the job
     *     script would hold for everyone who can read it
     */
    static List<String> databaseInJob(DatabaseChoice db) {
        if (db.activeProfile().isPresent()) {
            return List.of("--profile", db.activeProfile().get().name());
        }
        if (!db.source().equals("--db")) {
            return List.of();
        }
        String url = db.settings().url();
        if (!DatabaseSettings.maskPassword(url).equals(url)) {
            throw new AstraException.BadConfig("--db carries a password, which the Slurm job script would hold "
                    + "for everyone who can read it: put it in ~/.pgpass instead");
        }
        return List.of("--db", url);
    }

    private static List<String> names(List<String> families, String option) {
        List<String> names = families.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new AstraException.BadInput(option + " needs at least one family name");
        }
        return names;
    }
}
