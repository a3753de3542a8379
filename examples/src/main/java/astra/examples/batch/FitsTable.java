package astra.examples.batch;

import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.primaryKey;
import static org.jooq.impl.DSL.table;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep5;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.SQLDataType;

/**
 * The results table {@code example_spectrum_fits}, one row per spectrum, keyed by (release,
 * spec_id); jOOQ with bound values, so the same code runs on PostgreSQL and SQLite.
 */
final class FitsTable {

    /** Rows per INSERT: 5 values each, far below both databases' bind limits. */
    private static final int CHUNK = 1000;

    static final Table<Record> TABLE = table(name("example_spectrum_fits"));
    static final Field<String> RELEASE = field(name("release"), SQLDataType.VARCHAR(32).nullable(false));
    static final Field<Long> SPEC_ID = field(name("spec_id"), SQLDataType.BIGINT.nullable(false));
    static final Field<Double> VELOCITY = field(name("velocity"), SQLDataType.DOUBLE.nullable(false));
    static final Field<Double> SNR = field(name("snr"), SQLDataType.DOUBLE.nullable(false));
    static final Field<String> TASK_ID = field(name("task_id"), SQLDataType.VARCHAR(255).nullable(false));

    record Fit(String release, long specId, double velocity, double snr, String taskId) {}

    private FitsTable() {}

    static void create(DSLContext db) {
        try {
            db.createTableIfNotExists(TABLE)
                    .columns(RELEASE, SPEC_ID, VELOCITY, SNR, TASK_ID)
                    .constraints(primaryKey(RELEASE, SPEC_ID))
                    .execute();
        } catch (DataAccessException e) {
            // On PostgreSQL two workers can both pass IF NOT EXISTS at once; the loser's error is harmless.
            try {
                db.selectOne().from(TABLE).limit(0).fetch();
            } catch (DataAccessException missing) {
                throw e;
            }
        }
    }

    /** Inserts the rows, or replaces those a previous run wrote: one statement per thousand rows. */
    static void upsert(DSLContext db, List<Fit> fits) {
        for (int from = 0; from < fits.size(); from += CHUNK) {
            InsertValuesStep5<Record, String, Long, Double, Double, String> insert =
                    db.insertInto(TABLE, RELEASE, SPEC_ID, VELOCITY, SNR, TASK_ID);
            for (Fit f : fits.subList(from, Math.min(fits.size(), from + CHUNK))) {
                insert = insert.values(f.release(), f.specId(), f.velocity(), f.snr(), f.taskId());
            }
            insert.onConflict(RELEASE, SPEC_ID).doUpdate()
                    .set(VELOCITY, excluded(VELOCITY))
                    .set(SNR, excluded(SNR))
                    .set(TASK_ID, excluded(TASK_ID))
                    .execute();
        }
    }

    /** How many rows the release has. */
    static int count(DSLContext db, String release) {
        return db.fetchCount(TABLE, RELEASE.eq(release));
    }
}
