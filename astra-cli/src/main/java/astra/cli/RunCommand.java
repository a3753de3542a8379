package astra.cli;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import astra.scheduler.ExecutionSummary;
import astra.scheduler.Scheduler;
import astra.scheduler.SchedulerOptions;
import astra.worker.WorkerOptions;
import astra.worker.WorkerPoolFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "run",
        description = "Runs a task and every task it needs that is not complete yet.",
        synopsisHeading = "Usage: ",
        customSynopsis = {"astra run <Task> [--<parameter> <value>]...",
                "          [--workers N] [--config FILE] [--db URL] [--cp PATHS] [--debug]"},
        footer = {"", "Examples:",
                "  astra run ProcessField --field 42 --workers 4",
                "  astra run ProcessField --help        lists ProcessField's parameters"})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    AstraCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker processes, each running one task at a time (default: [core] workers, else 1).")
    Integer workers;

    @Mixin
    DatabaseOptions database;

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
        String logLevel = Logging.configure(cfg, debug());

        TaskLine.UserTasks user = TaskLine.userTasks(TaskLine.classpath(root.global, global));
        TaskLine line = TaskLine.parse(taskAndArgs, user.catalog(), cfg, "astra run",
                "Runs %s and every task it needs that is not complete.", spec.options(), err);
        if (help) {
            out.print(line.usage());
            return ExitCodes.OK;
        }
        Task task = line.task();
        SchedulerOptions schedulerOptions = SchedulerOptions.from(cfg);
        DatabaseSettings settings = database.settings(cfg);
        WorkerOptions workerOptions = WorkerOptions.from(cfg, workers, settings, user.classpath().entries())
                .withJvmOption(Logging.workerOption(logLevel));

        try (Database opened = Database.open(settings)) {
            Scheduler scheduler = new Scheduler(opened, schedulerOptions, WorkerPoolFactory.processes(workerOptions));
            return runStoppingOnInterrupt(scheduler, task, out);
        }
    }

    /**
     * On Ctrl-C, stops claiming and waits (boundedly) for running tasks to be recorded, so that
     * every task ends up either done or runnable again by the next run.
     */
    private int runStoppingOnInterrupt(Scheduler scheduler, Task task, PrintWriter out) throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            Main.shuttingDown = true;
            spec.commandLine().getErr().println("astra: interrupted: stopping the workers; the tasks they held run again next time");
            spec.commandLine().getErr().flush();
            scheduler.stop();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "astra-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ExecutionSummary summary = scheduler.run(List.of(task), "astra run " + String.join(" ", taskAndArgs));
            // Printed before the hook is released: once it returns, the JVM may end at any moment.
            out.print(summary.render());
            out.flush();
            return ExitCodes.of(summary.outcome());
        } finally {
            finished.countDown();
            if (!Main.shuttingDown) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shutdownBegan) {
                    // Ctrl-C came as the run ended: the hook is running and finds the run finished.
                }
            }
        }
    }

    private boolean debug() {
        return global.debug || root.global.debug;
    }
}
