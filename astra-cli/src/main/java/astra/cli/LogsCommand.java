package astra.cli;

import astra.core.store.TaskHistory;
import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.internal.LocalProcess;
import astra.worker.WorkerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Prints what a task wrote while it ran, attempt by attempt.",
        description = {"Prints what a task wrote while it ran: its System.out and System.err, its ctx.logger() "
                + "lines and, if it failed, the stack trace. Worker processes keep one file per attempt under "
                + "[core] log_dir (default ./.astra/logs): <log_dir>/<task id>/run-<run>-attempt-<n>.log; "
                + "a batch's attempt writes one file, named after its first member, that every member shows."},
        footer = {"", "Examples:",
                "  astra logs ProcessField_42_3f9a1c2b0d              the last attempt",
                "  astra logs ProcessField_42_3f9a1c2b0d --attempt 1  the first attempt of its last run",
                "  astra logs ProcessField_42_3f9a1c2b0d --all        every attempt, each under a header",
                "", "Exit codes: 0 printed (or the attempt wrote nothing, which is said on stderr);",
                "2 no such task, no such attempt, the task has not run, or its log file is missing",
                "(written on another host, or deleted): the message names the file and its host."})
final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--attempt", paramLabel = "N", description = "Attempt N of the task's last run that has one.")
    Integer attempt;

    @Option(names = "--all", description = "Every attempt of every run, oldest first.")
    boolean all;

    @Parameters(paramLabel = "TASK_ID", description = "The task's id, as astra run and astra status print it.")
    String taskId;

    @Override
    public Integer call() throws Exception {
        if (all && attempt != null) {
            throw new AstraException.BadInput("astra logs takes --attempt N or --all, not both");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config cfg = database.loadConfig(err);
        Path logDir = WorkerOptions.logDir(cfg, Path.of(""));
        List<TaskHistory.Attempt> attempts;
        try (Database db = database.open(cfg)) {
            attempts = TaskHistory.load(db.store(), taskId).attempts();
        }
        if (attempts.isEmpty()) {
            throw new AstraException.BadInput(taskId + " has not run yet: it has no log ('astra show " + taskId
                    + "' tells why)");
        }
        boolean allFound = true;
        for (TaskHistory.Attempt a : chosen(attempts)) {
            if (all) {
                out.println("==> run " + a.runId() + ", attempt " + a.number() + " (" + a.outcome() + ") by "
                        + a.workerId() + (a.host() == null ? "" : " on " + a.host()) + " <==");
            }
            allFound &= print(a, logDir, out, err);
        }
        out.flush();
        return allFound ? ExitCodes.OK : ExitCodes.BAD_INPUT;
    }

    private List<TaskHistory.Attempt> chosen(List<TaskHistory.Attempt> attempts) {
        if (all) {
            return attempts;
        }
        if (attempt == null) {
            return List.of(attempts.get(attempts.size() - 1));
        }
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).number() == attempt) {
                return List.of(attempts.get(i));
            }
        }
        throw new AstraException.BadInput(taskId + " has no attempt " + attempt + "; its attempts: "
                + String.join(", ", attempts.stream().map(a -> "run " + a.runId() + " #" + a.number()).toList()));
    }

    /**
     * Prints one attempt's file. An attempt whose history names no file wrote nothing, unless its
     * worker died before it could say (then the file is where the configured log dir puts it).
     */
    private boolean print(TaskHistory.Attempt a, Path logDir, PrintWriter out, PrintWriter err) throws IOException {
        Path file = a.log();
        if (file == null) {
            Path expected = WorkerOptions.attemptLog(logDir, taskId, a.runId(), a.number());
            if (!Files.isRegularFile(expected)) {
                err.println("astra: run " + a.runId() + ", attempt " + a.number() + " of " + taskId
                        + " wrote nothing (" + a.outcome() + ")");
                return true;
            }
            file = expected;
        }
        if (!Files.isRegularFile(file)) {
            String host = a.host() == null ? "its worker's host" : a.host();
            boolean here = a.host() != null && a.host().equals(LocalProcess.host());
            err.println("astra: the log of run " + a.runId() + ", attempt " + a.number() + " of " + taskId
                    + " is not here: " + file + " on " + host
                    + (here ? " (deleted?)" : "; read it there, or set [core] log_dir to a directory every host shares"));
            return false;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                Charset.defaultCharset()))) {
            in.transferTo(out);
        }
        return true;
    }
}
