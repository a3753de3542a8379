package astra.core.store;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import astra.core.db.DatabaseSettings;
import java.time.Instant;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Astra's tables as jOOQ sees them, declared by hand (no code generation) to match the Flyway
 * migrations under {@code astra/db/migration/}, in the schema {@link #SCHEMA}. Fields are
 * qualified with their table so they can also name the existing row in an upsert's
 * {@code WHERE}.
 *
 * <p>Times are {@link Instant}s: {@code timestamptz} on PostgreSQL; on SQLite jOOQ writes and
 * parses ISO text in UTC ({@code 2026-01-02 03:04:05.123456+00:00}), which sorts in time order.
 */
public final class AstraTables {

    /**
     * The schema the tables are declared in: a placeholder that the store's jOOQ settings
     * ({@link #renderSettings}) map to the configured one, {@code [database] schema}. Columns are
     * qualified by their table alone, which PostgreSQL and SQLite both resolve.
     */
    public static final String SCHEMA = "astra";

    private AstraTables() {}

    /**
     * How Astra's jOOQ renders SQL for {@code settings}: the tables of {@link #SCHEMA} in the
     * configured schema on PostgreSQL, and in the file's {@code main} schema on SQLite. Names of
     * other schemas render as written.
     */
    public static Settings renderSettings(DatabaseSettings settings) {
        String schema = settings.isSqlite() ? "main" : settings.schema();
        Settings render = new Settings().withExecuteLogging(false);
        // The default schema is the placeholder itself: no mapping to look up on every statement.
        return schema.equals(SCHEMA) ? render : render.withRenderMapping(new RenderMapping().withSchemata(
                new MappedSchema().withInput(SCHEMA).withOutput(schema)));
    }

    public static final class Run {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_run"));
        public static final Field<Long> RUN_ID = field(name("astra_run", "run_id"), SQLDataType.BIGINT);
        public static final Field<Instant> STARTED_AT = field(name("astra_run", "started_at"), SQLDataType.INSTANT);
        public static final Field<Instant> FINISHED_AT = field(name("astra_run", "finished_at"), SQLDataType.INSTANT);
        public static final Field<String> ROOT_TASK_IDS = field(name("astra_run", "root_task_ids"), SQLDataType.VARCHAR);
        public static final Field<String> HOST = field(name("astra_run", "host"), SQLDataType.VARCHAR);
        public static final Field<Long> PID = field(name("astra_run", "pid"), SQLDataType.BIGINT);
        public static final Field<String> COMMAND = field(name("astra_run", "command"), SQLDataType.VARCHAR);
        public static final Field<String> OUTCOME = field(name("astra_run", "outcome"), SQLDataType.VARCHAR);
        public static final Field<Boolean> KEEP_GOING = field(name("astra_run", "keep_going"), SQLDataType.BOOLEAN);

        private Run() {}
    }

    /**
     * Task states as SQL literals: inlined in the queries, not bound, so that the partial index
     * on ready tasks ({@code astra_task_ready}) matches them.
     */
    static final class States {
        static final Field<String> PENDING = DSL.inline(TaskState.PENDING.name());
        static final Field<String> RUNNING = DSL.inline(TaskState.RUNNING.name());
        static final Field<String> DONE = DSL.inline(TaskState.DONE.name());
        static final Field<String> FAILED = DSL.inline(TaskState.FAILED.name());

        private States() {}
    }

    public static final class Task {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_task"));
        public static final Field<String> TASK_ID = field(name("astra_task", "task_id"), SQLDataType.VARCHAR);
        public static final Field<String> FAMILY = field(name("astra_task", "family"), SQLDataType.VARCHAR);
        public static final Field<String> CLASS_NAME = field(name("astra_task", "class_name"), SQLDataType.VARCHAR);
        public static final Field<String> PARAMS = field(name("astra_task", "params"), SQLDataType.VARCHAR);
        public static final Field<String> STATE = field(name("astra_task", "state"), SQLDataType.VARCHAR);
        public static final Field<Integer> ATTEMPTS = field(name("astra_task", "attempts"), SQLDataType.INTEGER);
        public static final Field<Integer> UNFINISHED_DEPS =
                field(name("astra_task", "unfinished_deps"), SQLDataType.INTEGER);
        public static final Field<Integer> PRIORITY = field(name("astra_task", "priority"), SQLDataType.INTEGER);
        public static final Field<Long> RUN_ID = field(name("astra_task", "run_id"), SQLDataType.BIGINT);
        public static final Field<String> WORKER = field(name("astra_task", "worker"), SQLDataType.VARCHAR);
        public static final Field<Instant> CREATED_AT = field(name("astra_task", "created_at"), SQLDataType.INSTANT);
        public static final Field<Instant> UPDATED_AT = field(name("astra_task", "updated_at"), SQLDataType.INSTANT);
        public static final Field<Instant> STARTED_AT = field(name("astra_task", "started_at"), SQLDataType.INSTANT);
        public static final Field<Instant> FINISHED_AT = field(name("astra_task", "finished_at"), SQLDataType.INSTANT);
        public static final Field<String> ERROR = field(name("astra_task", "error"), SQLDataType.VARCHAR);
        public static final Field<String> ERROR_DETAIL = field(name("astra_task", "error_detail"), SQLDataType.VARCHAR);
        public static final Field<Instant> HEARTBEAT_AT = field(name("astra_task", "heartbeat_at"), SQLDataType.INSTANT);
        public static final Field<Integer> RETRIES = field(name("astra_task", "retries"), SQLDataType.INTEGER);
        public static final Field<Long> RETRY_DELAY_MS = field(name("astra_task", "retry_delay_ms"), SQLDataType.BIGINT);
        public static final Field<Instant> NOT_BEFORE = field(name("astra_task", "not_before"), SQLDataType.INSTANT);
        public static final Field<String> BATCH_KEY = field(name("astra_task", "batch_key"), SQLDataType.VARCHAR);
        public static final Field<Integer> BATCH_SIZE = field(name("astra_task", "batch_size"), SQLDataType.INTEGER);
        /** Whether the task has many requirements, counted by a scan instead of by each one's release ({@code WideTasks}). */
        public static final Field<Boolean> WIDE = field(name("astra_task", "wide"), SQLDataType.BOOLEAN);
        /** For a wide task: every requirement whose id sorts before this one is known done. */
        public static final Field<String> DONE_THROUGH = field(name("astra_task", "done_through"), SQLDataType.VARCHAR);

        private Task() {}
    }

    public static final class Worker {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_worker"));
        public static final Field<String> WORKER_ID = field(name("astra_worker", "worker_id"), SQLDataType.VARCHAR);
        public static final Field<Long> RUN_ID = field(name("astra_worker", "run_id"), SQLDataType.BIGINT);
        public static final Field<String> HOST = field(name("astra_worker", "host"), SQLDataType.VARCHAR);
        public static final Field<Long> PID = field(name("astra_worker", "pid"), SQLDataType.BIGINT);
        public static final Field<Instant> STARTED_AT = field(name("astra_worker", "started_at"), SQLDataType.INSTANT);
        public static final Field<Long> INIT_MILLIS = field(name("astra_worker", "init_millis"), SQLDataType.BIGINT);
        public static final Field<Long> READY_MILLIS = field(name("astra_worker", "ready_millis"), SQLDataType.BIGINT);
        public static final Field<Integer> CONNECTS = field(name("astra_worker", "connects"), SQLDataType.INTEGER);
        public static final Field<Instant> LAST_HEARTBEAT =
                field(name("astra_worker", "last_heartbeat"), SQLDataType.INSTANT);
        public static final Field<Integer> TASKS_RUN = field(name("astra_worker", "tasks_run"), SQLDataType.INTEGER);
        public static final Field<Instant> STOPPED_AT = field(name("astra_worker", "stopped_at"), SQLDataType.INSTANT);
        public static final Field<String> STOP_REASON = field(name("astra_worker", "stop_reason"), SQLDataType.VARCHAR);

        private Worker() {}
    }

    public static final class Resource {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_resource"));
        public static final Field<String> NAME = field(name("astra_resource", "name"), SQLDataType.VARCHAR);
        public static final Field<Integer> CAPACITY = field(name("astra_resource", "capacity"), SQLDataType.INTEGER);
        public static final Field<Instant> UPDATED_AT = field(name("astra_resource", "updated_at"), SQLDataType.INSTANT);

        private Resource() {}
    }

    public static final class TaskResource {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_task_resource"));
        public static final Field<String> TASK_ID = field(name("astra_task_resource", "task_id"), SQLDataType.VARCHAR);
        public static final Field<String> RESOURCE = field(name("astra_task_resource", "resource"), SQLDataType.VARCHAR);
        public static final Field<Integer> AMOUNT = field(name("astra_task_resource", "amount"), SQLDataType.INTEGER);

        private TaskResource() {}
    }

    public static final class Edge {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_edge"));
        public static final Field<String> TASK_ID = field(name("astra_edge", "task_id"), SQLDataType.VARCHAR);
        public static final Field<String> REQUIRES_ID = field(name("astra_edge", "requires_id"), SQLDataType.VARCHAR);

        private Edge() {}
    }

    public static final class Event {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_event"));
        public static final Field<Long> EVENT_ID = field(name("astra_event", "event_id"), SQLDataType.BIGINT);
        public static final Field<String> TASK_ID = field(name("astra_event", "task_id"), SQLDataType.VARCHAR);
        public static final Field<Long> RUN_ID = field(name("astra_event", "run_id"), SQLDataType.BIGINT);
        public static final Field<Instant> AT = field(name("astra_event", "at"), SQLDataType.INSTANT);
        public static final Field<String> STATE = field(name("astra_event", "state"), SQLDataType.VARCHAR);
        public static final Field<String> WORKER = field(name("astra_event", "worker"), SQLDataType.VARCHAR);
        public static final Field<String> MESSAGE = field(name("astra_event", "message"), SQLDataType.VARCHAR);

        private Event() {}
    }

    public static final class Disabled {
        public static final Table<Record> TABLE = table(name(SCHEMA, "astra_disabled_family"));
        public static final Field<String> FAMILY = field(name("astra_disabled_family", "family"), SQLDataType.VARCHAR);
        public static final Field<Instant> DISABLED_AT =
                field(name("astra_disabled_family", "disabled_at"), SQLDataType.INSTANT);
        public static final Field<String> DISABLED_BY =
                field(name("astra_disabled_family", "disabled_by"), SQLDataType.VARCHAR);

        private Disabled() {}
    }
}
