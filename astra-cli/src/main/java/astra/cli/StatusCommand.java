package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.store.DisabledFamily;
import astra.core.store.RunRecord;
import astra.core.store.StateCount;
import astra.core.store.TaskFilter;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows what the database holds: task counts per family and state, the tasks changed last, "
                + "the disabled families, and the workers of a run (by default the latest) with their pid, host, "
                + "initializer time and last heartbeat, and how many per host. Counts cover every run unless --run is given.",
        footer = {"", "Examples:",
                "  astra status",
                "  astra status --state failed              the failed tasks and their errors",
                "  astra status --family ProcessField --run 3",
                "  astra status --json"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--family", paramLabel = "F", description = "Only tasks of this family.")
    String family;

    @Option(names = "--state", paramLabel = "S", description = "Only tasks in this state: " + StoreInput.STATES + ".")
    String state;

    @Option(names = "--run", paramLabel = "R", description = "Only tasks of run R, and its workers (default: every "
            + "task, and the latest run's workers).")
    Long run;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Task rows shown at most (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new AstraException.BadInput("--limit must be 0 or more, not " + limit);
        }
        TaskState wanted = StoreInput.state(state);
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = database.loadConfig(spec.commandLine().getErr());
        try (Database opened = database.open(cfg)) {
            TaskStore store = opened.store();
            String fam = StoreInput.family(store, family);
            Optional<RunRecord> shownRun = run != null ? Optional.of(StoreInput.run(store, run)) : store.latestRun();
            TaskFilter filter = new TaskFilter(fam, wanted, run);
            Status status = new Status(shownRun.orElse(null), run != null, store.countTasks(filter),
                    store.findTasks(filter, limit), shownRun.map(r -> store.workers(r.runId())).orElse(List.of()),
                    store.disabledFamilies());
            if (json) {
                // snake_case keys, as astra run --json and astra show --json write them.
                out.println(new ObjectMapper().findAndRegisterModules()
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(status.asMap()));
            } else {
                status.render(out);
            }
            return ExitCodes.OK;
        }
    }

    /** What status found, to print as tables or JSON. */
    record Status(RunRecord run, boolean onlyRun, List<StateCount> counts, List<TaskRecord> rows,
            List<WorkerRecord> workers, List<DisabledFamily> disabled) {

        long total() {
            return counts.stream().mapToLong(StateCount::count).sum();
        }

        void render(PrintWriter out) {
            if (run == null) {
                out.println("No run is recorded in this database yet.");
            } else {
                out.println("Run " + run.runId() + ": " + run.command());
                out.println("  started " + Table.time(run.startedAt()) + " on " + run.host() + " (pid " + run.pid() + "), "
                        + (run.finishedAt() == null ? "no end recorded (running, or its process died)"
                        : "ended " + Table.time(run.finishedAt()) + ": " + run.outcome()));
            }
            out.println();
            out.println("Tasks" + (onlyRun ? " of run " + run.runId() : " of every run") + ":");
            if (counts.isEmpty()) {
                out.println("  none");
            } else {
                countsTable().print(out, "  ");
            }
            if (!disabled.isEmpty()) {
                out.println();
                out.println("Disabled families (their tasks stay pending; 'astra enable F' lets workers claim them):");
                disabled.forEach(d -> out.println("  " + d.family() + "  since " + Table.time(d.since())
                        + (d.by() == null ? "" : " by " + d.by())));
            }
            if (!rows.isEmpty()) {
                out.println();
                out.println("Tasks changed last (" + rows.size() + " of " + total() + "):");
                Table t = new Table("STATE", "TASK", "RUN", "ATTEMPTS", "WORKER", "FINISHED", "ERROR");
                rows.forEach(r -> t.row(StoreInput.lower(r.state()), r.taskId(), r.runId() == null ? "-" : r.runId(),
                        r.attempts(), r.worker() == null ? "-" : r.worker(), Table.time(r.finishedAt()),
                        r.error() == null ? "" : r.error()));
                t.print(out, "  ");
                if (total() > rows.size()) {
                    out.println("  ... and " + (total() - rows.size()) + " more (--limit, --family, --state)");
                }
            }
            if (run != null) {
                out.println();
                out.println("Workers of run " + run.runId() + ":");
                if (workers.isEmpty()) {
                    out.println("  none registered");
                } else {
                    Table byHost = new Table("HOST", "WORKERS", "RUNNING NOW", "TASKS RUN");
                    hosts().forEach(h -> byHost.row(h.host(), h.workers(), h.running(), h.tasksRun()));
                    byHost.print(out, "  ");
                    out.println();
                    Table t = new Table("WORKER", "HOST", "PID", "READY MS", "INIT MS", "LAST HEARTBEAT", "TASKS RUN",
                            "STOPPED");
                    workers.forEach(w -> t.row(w.workerId(), w.host(), w.pid(),
                            w.readyMillis() > 0 ? w.readyMillis() : "-", w.initMillis(),
                            Table.time(w.lastHeartbeat()), w.tasksRun(), w.stoppedAt() == null ? "running"
                                    : Table.time(w.stoppedAt()) + " (" + w.stopReason() + ")"));
                    t.print(out, "  ");
                }
            }
        }

        /** The workers of the run per host (per Slurm node, for workers in Slurm jobs), by name. */
        List<HostCount> hosts() {
            Map<String, HostCount> byHost = new TreeMap<>();
            for (WorkerRecord w : workers) {
                String host = w.host() == null ? "-" : w.host();
                HostCount c = byHost.getOrDefault(host, new HostCount(host, 0, 0, 0));
                byHost.put(host, new HostCount(host, c.workers() + 1, c.running() + (w.stoppedAt() == null ? 1 : 0),
                        c.tasksRun() + w.tasksRun()));
            }
            return List.copyOf(byHost.values());
        }

        /** One host's workers: how many registered, how many have not stopped, the tasks they ran. */
        record HostCount(String host, int workers, int running, long tasksRun) {}

        private Table countsTable() {
            Table t = new Table("FAMILY", "PENDING", "RUNNING", "DONE", "FAILED", "MISSING", "TOTAL");
            Map<String, long[]> byFamily = new TreeMap<>();
            long[] all = new long[TaskState.values().length + 1];
            for (StateCount c : counts) {
                long[] row = byFamily.computeIfAbsent(c.family(), k -> new long[TaskState.values().length + 1]);
                row[c.state().ordinal()] += c.count();
                row[row.length - 1] += c.count();
                all[c.state().ordinal()] += c.count();
                all[all.length - 1] += c.count();
            }
            byFamily.forEach((f, row) -> t.row(f, row[0], row[1], row[2], row[3], row[4], row[5]));
            if (byFamily.size() > 1) {
                t.row("all", all[0], all[1], all[2], all[3], all[4], all[5]);
            }
            return t;
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("run", run);
            map.put("counts", counts.stream().map(c -> Map.of("family", c.family(),
                    "state", StoreInput.lower(c.state()), "count", c.count())).toList());
            map.put("total", total());
            map.put("tasks", rows);
            map.put("workers", workers);
            map.put("hosts", hosts());
            map.put("disabled_families", disabled);
            return map;
        }
    }
}
