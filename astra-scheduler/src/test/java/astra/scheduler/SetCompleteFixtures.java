package astra.scheduler;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.primaryKey;
import static org.jooq.impl.DSL.table;

import astra.core.SetCompleteTask;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.db.Database;
import astra.scheduler.Fixtures.Leaf;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Tasks whose completeness is asked a set at a time, from a table of the user's own. */
final class SetCompleteFixtures {

    private SetCompleteFixtures() {}

    /** The user's results table: one row per {@link Shelved} task that ran. */
    static final class Shelf {
        static final Table<Record> TABLE = table(name("fixture_shelf"));
        static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR(255).nullable(false));

        private Shelf() {}

        static void create(DSLContext db) {
            db.createTableIfNotExists(TABLE).columns(NAME).constraints(primaryKey(NAME)).execute();
        }

        static Set<String> namesAmong(DSLContext db, List<String> names) {
            return new HashSet<>(db.select(NAME).from(TABLE).where(NAME.in(names)).fetch(NAME));
        }
    }

    /** Complete once its row is on the shelf; counts the completeEach calls. */
    record Shelved(String name) implements SetCompleteTask<Shelved> {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public List<Boolean> completeEach(List<Shelved> tasks) {
            CALLS.incrementAndGet();
            Set<String> done = Shelf.namesAmong(Database.current().dsl(), tasks.stream().map(Shelved::name).toList());
            return tasks.stream().map(t -> done.contains(t.name())).toList();
        }

        @Override
        public boolean complete() {
            throw new IllegalStateException("the scheduler must ask completeEach(), not complete()");
        }

        @Override
        public void run(TaskContext ctx) {
            ctx.db().insertInto(Shelf.TABLE).set(Shelf.NAME, name).onConflictDoNothing().execute();
            Ledger.ran("shelved " + name);
        }
    }

    /** Its family's completeEach() answers nothing at all. */
    record Unanswered(String name) implements SetCompleteTask<Unanswered> {
        @Override
        public List<Boolean> completeEach(List<Unanswered> tasks) {
            return List.of();
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }

    /** Needs two {@link Unanswered} tasks and a leaf. */
    record NeedsUnanswered(String name) implements Task {
        @Override
        public List<Task> requires() {
            return List.of(new Unanswered(name + "-x"), new Unanswered(name + "-y"), new Leaf(name + "-leaf"));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }
}
