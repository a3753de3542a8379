package astra.examples.spectra;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.primaryKey;
import static org.jooq.impl.DSL.table;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.SQLDataType;

/**
 * All the example's SQL: the results table {@code example_stellar_labels_v}, one row per star and
 * pipeline version, keyed by (release, pipeline_version, field, star_id), so that a new
 * {@code major.minor} writes rows of its own beside the old ones. jOOQ with bound values, so the
 * same code runs on PostgreSQL and on the embedded SQLite default.
 *
 * <p>The table's name changed when the version joined the key: {@code example_stellar_labels},
 * which older versions of this example created keyed by (release, field, star_id), cannot hold a
 * second version's row, and a primary key cannot be altered on SQLite. That old table is left as
 * it was, neither read nor dropped.
 */
final class LabelsTable {

    static final String NAME = "example_stellar_labels_v";
    static final Table<Record> TABLE = table(name(NAME));
    static final Field<String> RELEASE = field(name("release"), SQLDataType.VARCHAR(32).nullable(false));
    static final Field<String> PIPELINE_VERSION = field(name("pipeline_version"), SQLDataType.VARCHAR(16).nullable(false));
    static final Field<Integer> FIELD = field(name("field"), SQLDataType.INTEGER.nullable(false));
    static final Field<Integer> STAR_ID = field(name("star_id"), SQLDataType.INTEGER.nullable(false));
    static final Field<Double> TEFF = field(name("teff"), SQLDataType.DOUBLE.nullable(false));
    static final Field<Double> FE_H = field(name("fe_h"), SQLDataType.DOUBLE.nullable(false));
    static final Field<Double> SNR = field(name("snr"), SQLDataType.DOUBLE.nullable(false));
    /** Which task wrote the row: provenance, and a way back to its log. */
    static final Field<String> TASK_ID = field(name("task_id"), SQLDataType.VARCHAR(255).nullable(false));

    private LabelsTable() {}

    static void create(DSLContext db) {
        try {
            db.createTableIfNotExists(TABLE)
                    .columns(RELEASE, PIPELINE_VERSION, FIELD, STAR_ID, TEFF, FE_H, SNR, TASK_ID)
                    .constraints(primaryKey(RELEASE, PIPELINE_VERSION, FIELD, STAR_ID))
                    .execute();
        } catch (DataAccessException e) {
            // On PostgreSQL two workers can both pass IF NOT EXISTS at once; the loser's error is harmless.
            if (!exists(db)) {
                throw e;
            }
        }
    }

    /** Inserts the star's row, or replaces its labels if a previous run of the same version wrote it. */
    static void upsert(DSLContext db, Star star, StellarLabels labels, String taskId) {
        db.insertInto(TABLE)
                .set(RELEASE, star.release())
                .set(PIPELINE_VERSION, star.pipelineVersion())
                .set(FIELD, star.field())
                .set(STAR_ID, star.starId())
                .set(TEFF, labels.teff())
                .set(FE_H, labels.feh())
                .set(SNR, labels.snr())
                .set(TASK_ID, taskId)
                .onConflict(RELEASE, PIPELINE_VERSION, FIELD, STAR_ID)
                .doUpdate()
                .set(TEFF, labels.teff())
                .set(FE_H, labels.feh())
                .set(SNR, labels.snr())
                .set(TASK_ID, taskId)
                .execute();
    }

    /** Whether the star has a row of its version; false, not an error, before the table is first created. */
    static boolean contains(DSLContext db, Star star) {
        try {
            return db.fetchExists(TABLE, key(star));
        } catch (DataAccessException e) {
            // Checking the catalogue only on failure keeps the common case to one indexed query.
            if (!exists(db)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Which of {@code stars} have a row of their version: one query per (release, version, field)
     * among them, so one for the stars of a field; an empty set before the table is first created.
     * Not a row-value {@code (release, pipeline_version, field, star_id) IN (...)}: jOOQ writes
     * that for SQLite as a chain of ORs, and SQLite refuses a chain of 1,000.
     */
    static Set<Star> containedAmong(DSLContext db, Collection<Star> stars) {
        Map<List<Object>, List<Star>> byField = stars.stream().collect(Collectors.groupingBy(
                s -> List.of(s.release(), s.pipelineVersion(), s.field())));
        Set<Star> found = new HashSet<>();
        try {
            for (List<Star> group : byField.values()) {
                Star first = group.get(0);
                db.select(STAR_ID)
                        .from(TABLE)
                        .where(RELEASE.eq(first.release()), PIPELINE_VERSION.eq(first.pipelineVersion()),
                                FIELD.eq(first.field()), STAR_ID.in(group.stream().map(Star::starId).toList()))
                        .forEach(r -> found.add(new Star(first.release(), first.pipelineVersion(), first.field(), r.value1())));
            }
        } catch (DataAccessException e) {
            if (!exists(db)) {
                return Set.of();
            }
            throw e;
        }
        return found;
    }

    /** The labels of stars 1..nStars of a field that have a row of the given version, by star id. */
    static Map<Integer, StellarLabels> read(DSLContext db, String release, String pipelineVersion, int field, int nStars) {
        Map<Integer, StellarLabels> labels = new TreeMap<>();
        db.select(STAR_ID, TEFF, FE_H, SNR)
                .from(TABLE)
                .where(RELEASE.eq(release), PIPELINE_VERSION.eq(pipelineVersion), FIELD.eq(field), STAR_ID.between(1, nStars))
                .forEach(r -> labels.put(r.value1(), new StellarLabels(r.value2(), r.value3(), r.value4())));
        return labels;
    }

    private static Condition key(Star star) {
        return RELEASE.eq(star.release()).and(PIPELINE_VERSION.eq(star.pipelineVersion()))
                .and(FIELD.eq(star.field())).and(STAR_ID.eq(star.starId()));
    }

    /**
     * Whether the table is visible to this connection, resolved as the queries above resolve it
     * (catalog metadata would also find a same-named table in another schema).
     */
    private static boolean exists(DSLContext db) {
        try {
            db.selectOne().from(TABLE).limit(0).fetch();
            return true;
        } catch (DataAccessException e) {
            db.selectOne().fetch(); // a broken connection fails here instead of passing for a missing table
            return false;
        }
    }
}
