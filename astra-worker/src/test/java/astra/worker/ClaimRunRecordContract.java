package astra.worker;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.AstraException;
import astra.core.FileTarget;
import astra.core.ProcessResources;
import astra.core.Target;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.params.TaskSchema;
import astra.core.store.Plan;
import astra.core.store.RunInfo;
import astra.core.store.TaskEvent;
import astra.core.store.AstraTables;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.testing.DatabaseExtension;
import astra.plan.RequirementPlanner;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker loop on a real database, with plans written by hand; one subclass per database. */
abstract class ClaimRunRecordContract {

    /** What the tasks below saw, by task name. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    public record Writes(Path file) implements Task {
        @Override
        public List<FileTarget> output() {
            return List.of(new FileTarget(file));
        }

        @Override
        public void run(TaskContext ctx) throws Exception {
            output().get(0).writeString("hello");
        }
    }

    /** Writes its file after {@code millis}. */
    public record WritesLate(Path file, long millis) implements Task {
        @Override
        public List<FileTarget> output() {
            return List.of(new FileTarget(file));
        }

        @Override
        public void run(TaskContext ctx) throws Exception {
            Thread.sleep(millis);
            output().get(0).writeString("late");
        }
    }

    public record Reads(Path file) implements Task {
        @Override
        public List<Writes> requires() {
            return List.of(new Writes(file));
        }

        @Override
        public void run(TaskContext ctx) {
            List<Target> input = ctx.input();
            SEEN.put("input", ((FileTarget) input.get(0)).readString());
            SEEN.put("one", ctx.db().fetchValue("select 1"));
            SEEN.put("id", ctx.taskId());
        }
    }

    public record SwallowsSuspension(String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            try {
                ctx.require(new Writes(Path.of("never-written-" + name)));
            } catch (RuntimeException e) {
                SEEN.put("swallowed", e.getClass().getSimpleName());
            }
        }
    }

    public record BadProgress(String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            ctx.setProgress(1.5);
        }
    }

    public record ThrowsError(String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            throw new AssertionError("the model diverged");
        }
    }

    /** Writes a row of results with its done record; on its first attempt, first loses its claim if asked. */
    public record WritesRow(String name, boolean losesClaimFirst) implements Task {
        @Override
        public void run(TaskContext ctx) {
            if (losesClaimFirst && SEEN.putIfAbsent("lost " + name, true) == null) {
                // As the run does for a worker that went silent past its lease.
                Database.current().store().release(ctx.taskId(), "w-1", "its worker sent no heartbeat (simulated)");
            }
            ctx.transaction(tx -> tx.insertInto(DSL.table(DSL.name("test_results"))).values(name).execute());
        }
    }

    /** Fails on its first attempt as a task does whose connection the database dropped. */
    public record CutOffOnce(String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            if (SEEN.putIfAbsent("cut " + name, true) == null) {
                throw new DataAccessException("SQL [insert into results ...]; An I/O error occurred while sending to the backend.",
                        new SQLException("An I/O error occurred while sending to the backend.", "08006"));
            }
            SEEN.put("ran " + name, true);
        }
    }

    @TempDir
    Path dir;

    Database database;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        SEEN.clear();
        database = db().open();
    }

    static Plan.PlannedTask pending(Task task, int unfinished) {
        return pending(task, unfinished, 0);
    }

    static Plan.PlannedTask pending(Task task, int unfinished, int priority) {
        return new Plan.PlannedTask(Tasks.id(task), Tasks.family(task), task.getClass().getName(),
                TaskSchema.of(task.getClass()).paramsJson(task), TaskState.PENDING, unfinished, priority);
    }

    /** Enough for the store's clock to move on: what is planned next is younger. */
    static void sleepAMoment() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Plans the tasks as given (with edges to their requirements in the list), then runs one worker. */
    long runAll(List<Plan.PlannedTask> tasks, List<Plan.Edge> edges, RequirementPlanner planner) {
        long runId = database.store().startRun(new RunInfo("test", "localhost", 1, "test"));
        database.store().writePlan(runId, new Plan(tasks, edges));
        loop(database.store(), runId, planner, LoopOptions.DEFAULTS).run();
        return runId;
    }

    ClaimRunRecord loop(TaskStore store, long runId, RequirementPlanner planner, LoopOptions options) {
        ProcessResources resources = new ProcessResources("w-1", database);
        return new ClaimRunRecord(store, database::dsl, runId, resources, new TaskLoader(getClass().getClassLoader()),
                planner, options, AttemptObserver.NONE);
    }

    TaskRecord record(Task task) {
        return database.store().task(Tasks.id(task)).orElseThrow();
    }

    static final RequirementPlanner EVERYTHING_INCOMPLETE =
            requirements -> new Plan(requirements.stream().map(t -> pending(t, 0)).toList(), List.of());

    @Test
    void aTaskSeesItsInputsItsDatabaseAndItsIdAndItsDependentIsReleased() {
        Writes writes = new Writes(dir.resolve("greeting.txt"));
        Reads reads = new Reads(dir.resolve("greeting.txt"));

        runAll(List.of(pending(writes, 0), pending(reads, 1)),
                List.of(new Plan.Edge(Tasks.id(reads), Tasks.id(writes))), EVERYTHING_INCOMPLETE);

        assertThat(record(writes).state()).isEqualTo(TaskState.DONE);
        assertThat(record(reads).state()).isEqualTo(TaskState.DONE);
        assertThat(SEEN).containsEntry("input", "hello").containsEntry("id", Tasks.id(reads));
        assertThat(((Number) SEEN.get("one")).intValue()).isEqualTo(1);
    }

    @Test
    void aTaskThatSwallowsItsSuspensionFailsWithAMessageSayingSo() {
        SwallowsSuspension task = new SwallowsSuspension("s");

        runAll(List.of(pending(task, 0)), List.of(), EVERYTHING_INCOMPLETE);

        assertThat(SEEN).containsEntry("swallowed", "Suspended");
        assertThat(record(task).state()).isEqualTo(TaskState.FAILED);
        assertThat(record(task).error()).contains("caught TaskContext.Suspended");
    }

    @Test
    void aClassThatIsNotOnTheClasspathFailsThatTaskAndTheLoopGoesOn() {
        Writes fine = new Writes(dir.resolve("fine.txt"));
        Plan.PlannedTask ghost = new Plan.PlannedTask("Ghost__0000000000", "Ghost", "com.example.Ghost", "{}",
                TaskState.PENDING, 0, 5);

        runAll(List.of(ghost, pending(fine, 0)), List.of(), EVERYTHING_INCOMPLETE);

        TaskRecord failed = database.store().task("Ghost__0000000000").orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error()).contains("com.example.Ghost").contains("not on the classpath");
        assertThat(record(fine).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void errorsAndBadProgressFailTheTaskWithTheirMessage() {
        ThrowsError error = new ThrowsError("e");
        BadProgress progress = new BadProgress("p");

        runAll(new ArrayList<>(List.of(pending(error, 0), pending(progress, 0))), List.of(), EVERYTHING_INCOMPLETE);

        assertThat(record(error).error()).isEqualTo("AssertionError: the model diverged");
        assertThat(record(error).state()).isEqualTo(TaskState.FAILED);
        assertThat(record(progress).error()).contains("progress must be between 0 and 1, got 1.5");
    }

    /** A step that only claims: {@code recordAndClaim} with nothing to record. */
    static final BiPredicate<Method, Object[]> CLAIMS = (m, args) -> m.getName().equals("recordAndClaim")
            && ((List<?>) args[3]).isEmpty();
    /** A step that records tasks done (and may claim). */
    static final BiPredicate<Method, Object[]> RECORDS = (m, args) -> m.getName().equals("recordAndClaim")
            && !((List<?>) args[3]).isEmpty();

    /** The real store, but the first {@code failures} calls of one kind fail as a restarting database does. */
    static TaskStore failingFirst(TaskStore real, BiPredicate<Method, Object[]> call, int failures) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(failures);
        return (TaskStore) java.lang.reflect.Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class}, (proxy, m, args) -> {
                    if (call.test(m, args) && left.getAndDecrement() > 0) {
                        throw new DataAccessException("connection reset (simulated)", new SQLException("connection reset", "08006"));
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The real store, but the first call of a kind commits and then loses its reply. */
    static TaskStore losingFirstReply(TaskStore real, BiPredicate<Method, Object[]> call) {
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        return (TaskStore) java.lang.reflect.Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class}, (proxy, m, args) -> {
                    Object result;
                    try {
                        result = m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (call.test(m, args) && lost.compareAndSet(false, true)) {
                        throw new DataAccessException("connection reset after commit (simulated)",
                                new SQLException("connection reset", "08006"));
                    }
                    return result;
                });
    }

    @Test
    void aClaimWhoseReplyWasLostIsGivenBackAndEveryTaskRunsOnce() {
        Writes first = new Writes(dir.resolve("a.txt"));
        Writes second = new Writes(dir.resolve("b.txt"));
        long runId = database.store().startRun(new RunInfo("test", "localhost", 1, "test"));
        database.store().writePlan(runId, new Plan(List.of(pending(first, 0), pending(second, 0)), List.of()));

        loop(losingFirstReply(database.store(), CLAIMS), runId, EVERYTHING_INCOMPLETE,
                LoopOptions.DEFAULTS).run();

        assertThat(record(first).state()).isEqualTo(TaskState.DONE);
        assertThat(record(second).state()).isEqualTo(TaskState.DONE);
        List<TaskEvent> events = new ArrayList<>(database.store().events(Tasks.id(first)));
        events.addAll(database.store().events(Tasks.id(second)));
        assertThat(events).extracting(TaskEvent::message).filteredOn(m -> m != null && m.contains("reply was lost"))
                .hasSize(1);
        assertThat(events).filteredOn(e -> e.state() == TaskState.DONE).hasSize(2);
    }

    @Test
    void aTaskClaimedWithARecordWhoseReplyWasLostIsGivenBackAndEveryTaskRunsOnce() {
        Writes first = new Writes(dir.resolve("a.txt"));
        Writes second = new Writes(dir.resolve("b.txt"));
        Writes third = new Writes(dir.resolve("c.txt"));
        long runId = database.store().startRun(new RunInfo("test", "localhost", 1, "test"));
        database.store().writePlan(runId,
                new Plan(List.of(pending(first, 0), pending(second, 0), pending(third, 0)), List.of()));

        // The first record commits (one task done, the next ones claimed) and its reply is lost.
        loop(losingFirstReply(database.store(), RECORDS), runId, EVERYTHING_INCOMPLETE,
                LoopOptions.DEFAULTS).run();

        List<TaskEvent> events = new ArrayList<>();
        for (Writes task : List.of(first, second, third)) {
            assertThat(record(task).state()).isEqualTo(TaskState.DONE);
            assertThat(record(task).attempts()).as("counted attempts of " + Tasks.id(task)).isEqualTo(1);
            events.addAll(database.store().events(Tasks.id(task)));
        }
        // What that step claimed (one task to run next, and one ahead unless the first ran slowly) was given back.
        assertThat(events).extracting(TaskEvent::message).filteredOn(m -> m != null && m.contains("reply was lost"))
                .hasSizeBetween(1, 2);
        assertThat(events).filteredOn(e -> e.state() == TaskState.DONE).hasSize(3);
    }

    int resultRows(String name) {
        return database.dsl().fetchCount(DSL.table(DSL.name("test_results")), DSL.field(DSL.name("name")).eq(name));
    }

    void createResults() {
        database.dsl().execute("create table if not exists test_results (name varchar(100))");
        database.dsl().execute("delete from test_results");
    }

    @Test
    void aTaskWritingItsResultsWithItsDoneRecordIsRecordedOnce() {
        createResults();
        WritesRow task = new WritesRow("r1", false);

        loop(database.store(), planOne(task), EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS).run();

        assertThat(resultRows("r1")).isEqualTo(1);
        assertThat(record(task)).extracting(TaskRecord::state, TaskRecord::attempts).containsExactly(TaskState.DONE, 1);
        assertThat(database.store().events(Tasks.id(task))).extracting(TaskEvent::state)
                .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
    }

    @Test
    void aWorkerThatLostItsClaimCommitsNoResultsAndTheTaskRunsAgainOnce() {
        createResults();
        WritesRow task = new WritesRow("r2", true);

        loop(database.store(), planOne(task), EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS).run();

        assertThat(resultRows("r2")).as("rows of results").isEqualTo(1);
        assertThat(record(task)).extracting(TaskRecord::state, TaskRecord::attempts).containsExactly(TaskState.DONE, 1);
        assertThat(database.store().events(Tasks.id(task))).filteredOn(e -> e.state() == TaskState.DONE).hasSize(1);
    }

    @Test
    void aTaskCutOffByTheDatabaseIsGivenBackUncountedAndRunsAgain() {
        CutOffOnce task = new CutOffOnce("c1");

        loop(database.store(), planOne(task), EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS).run();

        assertThat(SEEN).containsKey("ran c1");
        assertThat(record(task)).extracting(TaskRecord::state, TaskRecord::attempts)
                .as("done, its cut-off attempt not counted though it has no retries").containsExactly(TaskState.DONE, 1);
        assertThat(database.store().events(Tasks.id(task))).extracting(TaskEvent::message)
                .anySatisfy(m -> assertThat(m).startsWith("released: the database failed under it (An I/O error occurred"));
    }

    @Test
    void beforeADeadlineALoopClaimsOnlyWhatFinishesInTimeAndThenStops() {
        // History: a WritesLate took ten minutes once; Writes has none (so it may take any time).
        WritesLate before = new WritesLate(dir.resolve("before.txt"), 1);
        long first = planOne(before);
        loop(database.store(), first, EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS).run();
        var done = record(before);
        database.dsl().update(AstraTables.Task.TABLE)
                .set(AstraTables.Task.STARTED_AT, done.finishedAt().minus(Duration.ofMinutes(10)))
                .where(AstraTables.Task.TASK_ID.eq(Tasks.id(before))).execute();
        WritesLate slow = new WritesLate(dir.resolve("slow.txt"), 1);
        Writes quick = new Writes(dir.resolve("quick.txt"));
        long runId = database.store().startRun(new RunInfo("test", "localhost", 1, "test"));
        database.store().writePlan(runId, new Plan(List.of(pending(slow, 0), pending(quick, 0)), List.of()));

        ClaimRunRecord loop = loop(database.store(), runId, EVERYTHING_INCOMPLETE,
                new LoopOptions(0, java.time.Instant.now().plus(Duration.ofMinutes(2))));
        loop.run();

        assertThat(record(quick).state()).isEqualTo(TaskState.DONE);
        assertThat(record(slow)).extracting(TaskRecord::state, TaskRecord::attempts)
                .as("not claimed: it would not finish in time").containsExactly(TaskState.PENDING, 0);
        assertThat(loop.outOfTime()).isTrue();
        assertThat(loop.failure()).isEmpty();
    }

    long planOne(Task task) {
        long runId = database.store().startRun(new RunInfo("test", "localhost", 1, "test"));
        database.store().writePlan(runId, new Plan(List.of(pending(task, 0)), List.of()));
        return runId;
    }

    @Test
    void aTaskThatRanIsRecordedOnceWhenTheDatabaseComesBack() {
        Writes task = new Writes(dir.resolve("once.txt"));
        long runId = planOne(task);
        TaskStore flaky = failingFirst(database.store(), RECORDS, 3);

        loop(flaky, runId, EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS).run();

        assertThat(record(task).state()).isEqualTo(TaskState.DONE);
        assertThat(database.store().events(Tasks.id(task))).extracting(TaskEvent::state)
                .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
    }

    @Test
    void aWorkerGivesUpWhenTheDatabaseStaysAwayAndTheClaimStaysForTheNextRun() {
        Writes task = new Writes(dir.resolve("later.txt"));
        long runId = planOne(task);
        TaskStore gone = failingFirst(database.store(), RECORDS, Integer.MAX_VALUE);
        Database impatient = db().open(db().settings().withOutageTimeout(Duration.ofMillis(300)), Clock.systemUTC());
        ClaimRunRecord loop = new ClaimRunRecord(gone, impatient::dsl, runId, new ProcessResources("w-1", impatient),
                new TaskLoader(getClass().getClassLoader()), EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS, AttemptObserver.NONE);

        loop.run();

        assertThat(loop.failure()).get().isInstanceOf(AstraException.DatabaseUnavailable.class)
                .extracting(Throwable::getMessage).asString().contains("recording " + Tasks.id(task) + " done");
        assertThat(record(task).state()).isEqualTo(TaskState.RUNNING);
    }

    /**
     * Short tasks are claimed ahead, several per step; a long one among them gives back those
     * claimed after it (another worker may run them meanwhile), and every task runs once.
     */
    @Test
    void shortTasksAreClaimedAheadAndALongOneGivesBackThoseAfterIt() {
        // The first runs alone (priority 5); then the slow one, the oldest of priority 3, heads a step that claims the rest ahead.
        Task first = new Writes(dir.resolve("first.txt"));
        Task slow = new WritesLate(dir.resolve("slow.txt"), 1_500);
        List<Task> quick = java.util.stream.IntStream.range(0, 4).<Task>mapToObj(i -> new Writes(dir.resolve(i + ".txt"))).toList();
        long runId = database.store().startRun(new RunInfo("test", "localhost", 1, "test"));
        database.store().writePlan(runId, new Plan(List.of(pending(first, 0, 5), pending(slow, 0, 3)), List.of()));
        sleepAMoment();
        database.store().writePlan(runId, new Plan(quick.stream().map(t -> pending(t, 0, 3)).toList(), List.of()));
        List<Task> tasks = new ArrayList<>(quick);
        tasks.add(first);
        tasks.add(slow);

        loop(database.store(), runId, EVERYTHING_INCOMPLETE, LoopOptions.DEFAULTS).run();

        List<TaskEvent> events = new ArrayList<>();
        for (Task task : tasks) {
            assertThat(record(task).state()).isEqualTo(TaskState.DONE);
            assertThat(record(task).attempts()).as("attempts of " + Tasks.id(task)).isEqualTo(1);
            assertThat(database.store().events(Tasks.id(task))).filteredOn(e -> e.state() == TaskState.DONE).hasSize(1);
            events.addAll(database.store().events(Tasks.id(task)));
        }
        List<String> messages = events.stream().map(TaskEvent::message).toList();
        assertThat(messages).as("claimed ahead").contains("claimed (attempt 1, ahead)");
        assertThat(messages).as("given back during the long task")
                .contains("released: its worker is busy with a long task");
    }
}
