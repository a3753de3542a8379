package astra.core.store;

import static astra.core.store.AstraTables.States.FAILED;

import astra.core.store.AstraTables.Edge;
import astra.core.store.AstraTables.Run;
import astra.core.store.AstraTables.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.impl.DSL;

/**
 * Read-only queries for browsing runs ({@code astra ui}): every one bounded by a limit and served
 * by an index the queue keeps anyway ({@code astra_task}'s primary key and
 * {@code (run_id, state)}, {@code astra_edge}'s two), so that a page open on a run of a million
 * tasks costs its workers nothing they would notice. Lists are paged by key (the id after which a
 * page starts), never by offset.
 */
public final class StoreBrowser {

    /** A page's worth of rows at most, whatever a caller asks. */
    public static final int MAX_LIMIT = 1000;

    private final Transactions transactions;
    private final int searchWindow;

    StoreBrowser(Transactions transactions) {
        this(transactions, SEARCH_WINDOW);
    }

    private StoreBrowser(Transactions transactions, int searchWindow) {
        this.transactions = transactions;
        this.searchWindow = searchWindow;
    }

    /** This browser with a smaller search window, for tests. */
    StoreBrowser withSearchWindow(int rows) {
        return new StoreBrowser(transactions, rows);
    }

    /** Runs, newest first: those started before run {@code beforeRunId} (all when null), at most {@code limit}. */
    public List<RunRecord> runs(Long beforeRunId, int limit) {
        Condition c = beforeRunId == null ? DSL.noCondition() : Run.RUN_ID.lt(beforeRunId);
        return transactions.read(db -> db.select(Run.RUN_ID, Run.STARTED_AT, Run.FINISHED_AT, Run.HOST, Run.PID,
                        Run.COMMAND, Run.OUTCOME)
                .from(Run.TABLE)
                .where(c)
                .orderBy(Run.RUN_ID.desc())
                .limit(bounded(limit))
                .fetch(r -> new RunRecord(r.value1(), r.value2(), r.value3(), r.value4(),
                        r.value5() == null ? 0 : r.value5(), r.value6(), r.value7())));
    }

    /**
     * A page of task rows matching the filter, in task id order, starting after {@code afterTaskId}
     * (from the first when null). With a {@code param}, only tasks whose parameter of that name has
     * the value {@code value} (as the parameters' JSON writes it: {@code 42}, {@code "dr17"}), looked
     * for among the next {@link #SEARCH_WINDOW} rows only, so that a value no task has costs one
     * bounded scan, not one of every row; the page then says where the search stopped.
     */
    public TaskPage tasks(TaskFilter filter, String param, String value, String afterTaskId, int limit) {
        int n = bounded(limit);
        Condition c = TaskQueries.matching(filter);
        if (afterTaskId != null) {
            c = c.and(Task.TASK_ID.gt(afterTaskId));
        }
        Condition range = c;
        return transactions.withConnection(db -> {
            if (param == null) {
                List<TaskRecord> rows = TaskRecords.select(db).where(range).orderBy(Task.TASK_ID).limit(n)
                        .fetch(TaskRecords::of);
                return new TaskPage(rows, rows.size() == n ? rows.get(n - 1).taskId() : null, null);
            }
            String windowEnd = db.select(Task.TASK_ID).from(Task.TABLE).where(range).orderBy(Task.TASK_ID)
                    .offset(searchWindow - 1).limit(1).fetchOne(Task.TASK_ID);
            Condition window = windowEnd == null ? range : range.and(Task.TASK_ID.le(windowEnd));
            List<TaskRecord> rows = TaskRecords.select(db)
                    .where(window.and(paramIs(param, Objects.requireNonNull(value, "value"))))
                    .orderBy(Task.TASK_ID).limit(n)
                    .fetch(TaskRecords::of);
            if (rows.size() == n) {
                return new TaskPage(rows, rows.get(n - 1).taskId(), null);
            }
            return new TaskPage(rows, windowEnd, windowEnd);
        });
    }

    /** How many rows (after the page's start, in id order) a search by parameter value looks at. */
    public static final int SEARCH_WINDOW = 50_000;

    /**
     * A page of tasks; {@code nextAfter} is where the next page starts (null: there is none);
     * {@code searchedTo}, when not null, is the last id a search by parameter looked at without
     * filling the page: the next page searches on from there.
     */
    public record TaskPage(List<TaskRecord> tasks, String nextAfter, String searchedTo) {
        public TaskPage {
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * The parameters' JSON ({@code {"field":42,"release":"dr17"}}) has {@code "param":value}: the
     * value written as a JSON number, boolean or string, followed by a comma or the closing brace.
     */
    private static Condition paramIs(String param, String value) {
        String key = like("\"" + param + "\":");
        Condition c = DSL.noCondition();
        List<String> forms = new ArrayList<>();
        forms.add(like("\"" + jsonEscaped(value) + "\""));
        if (value.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|null")) {
            forms.add(like(value));
        }
        Condition any = DSL.falseCondition();
        for (String form : forms) {
            any = any.or(Task.PARAMS.like("%" + key + form + ",%", '!'))
                    .or(Task.PARAMS.like("%" + key + form + "}", '!'));
        }
        return c.and(any);
    }

    private static String jsonEscaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String like(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** Up to {@code limit} ids of the run's tasks of one family, in no particular order. */
    public List<String> sampleOf(long runId, String family, int limit) {
        return transactions.read(db -> db.select(Task.TASK_ID).from(Task.TABLE)
                .where(Task.RUN_ID.eq(runId)).and(Task.FAMILY.eq(family))
                .limit(bounded(limit))
                .fetch(Record1::value1));
    }

    /** The first {@code limit} ids (in id order) of what a task requires, as recorded. */
    public List<String> requirementsOf(String taskId, int limit) {
        return across(Edge.TASK_ID, taskId, Edge.REQUIRES_ID, limit);
    }

    /** The first {@code limit} ids (in id order) of the tasks that require this one directly. */
    public List<String> dependentsOf(String taskId, int limit) {
        return across(Edge.REQUIRES_ID, taskId, Edge.TASK_ID, limit);
    }

    /** The other ends of the edges whose {@code end} is {@code taskId}: their {@code other}, in order, at most {@code limit}. */
    private List<String> across(Field<String> end, String taskId, Field<String> other, int limit) {
        return transactions.read(db -> db.select(other).from(Edge.TABLE)
                .where(end.eq(taskId))
                .orderBy(other)
                .limit(bounded(limit))
                .fetch(Record1::value1));
    }

    /**
     * How many tasks a task requires and how many require it, as recorded, each counted up to
     * {@code most} (a wide task's million requirements are not counted one by one on every look).
     */
    public EdgeCounts edgeCounts(String taskId, int most) {
        return transactions.withConnection(db -> new EdgeCounts(
                db.fetchCount(db.selectOne().from(Edge.TABLE).where(Edge.TASK_ID.eq(taskId)).limit(most + 1)),
                db.fetchCount(db.selectOne().from(Edge.TABLE).where(Edge.REQUIRES_ID.eq(taskId)).limit(most + 1)),
                most));
    }

    /** How many tasks a task requires and how many require it directly; past {@code most}, more than that. */
    public record EdgeCounts(long requirements, long dependents, int most) {
        public boolean requirementsCapped() {
            return requirements > most;
        }

        public boolean dependentsCapped() {
            return dependents > most;
        }
    }

    /**
     * How many tasks each of these runs has in each state (none for a count of 0), in one query on
     * the {@code (run_id, state)} index.
     */
    public Map<Long, Map<TaskState, Long>> stateCounts(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        Field<Integer> count = DSL.count();
        return transactions.read(db -> {
            Map<Long, Map<TaskState, Long>> counts = new HashMap<>();
            db.select(Task.RUN_ID, Task.STATE, count).from(Task.TABLE)
                    .where(Task.RUN_ID.in(runIds))
                    .groupBy(Task.RUN_ID, Task.STATE)
                    .forEach(r -> counts.computeIfAbsent(r.value1(), k -> new EnumMap<>(TaskState.class))
                            .put(TaskState.valueOf(r.value2()), r.value3().longValue()));
            return counts;
        });
    }

    /**
     * The run's tasks that failed for good, grouped by their one-line error, the largest group
     * first, at most {@code limit} groups; each with its first task ids (in id order, at most
     * {@code tasksPerGroup}).
     */
    public List<ErrorGroup> failures(long runId, int limit, int tasksPerGroup) {
        Field<Integer> count = DSL.count();
        Condition failed = Task.RUN_ID.eq(runId).and(Task.STATE.eq(FAILED));
        return transactions.withConnection(db -> {
            List<ErrorGroup> groups = new ArrayList<>();
            for (var r : db.select(Task.ERROR, count).from(Task.TABLE).where(failed)
                    .groupBy(Task.ERROR)
                    .orderBy(count.desc(), Task.ERROR)
                    .limit(bounded(limit))
                    .fetch()) {
                String error = r.value1();
                List<String> ids = db.select(Task.TASK_ID).from(Task.TABLE)
                        .where(failed).and(error == null ? Task.ERROR.isNull() : Task.ERROR.eq(error))
                        .orderBy(Task.TASK_ID)
                        .limit(bounded(tasksPerGroup))
                        .fetch(Record1::value1);
                groups.add(new ErrorGroup(error, r.value2(), ids));
            }
            return groups;
        });
    }

    /** Failed tasks with the same error: how many, and the first of them. */
    public record ErrorGroup(String error, long count, List<String> taskIds) {
        public ErrorGroup {
            taskIds = List.copyOf(taskIds);
        }
    }

    private static int bounded(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        return Math.min(limit, MAX_LIMIT);
    }
}
