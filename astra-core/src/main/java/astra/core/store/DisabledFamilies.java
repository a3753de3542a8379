package astra.core.store;

import astra.core.store.AstraTables.Disabled;
import java.time.Instant;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** The families {@code astra disable} switched off. */
final class DisabledFamilies {

    private DisabledFamilies() {}

    /** The family is not disabled; a subquery on a table of a few rows, so claims stay cheap. */
    static Condition enabled(Field<String> family) {
        return family.notIn(DSL.select(Disabled.FAMILY).from(Disabled.TABLE));
    }

    /** Returns false if the family was disabled already (the first record stands). */
    static boolean disable(DSLContext tx, String family, String by, Instant now) {
        return tx.insertInto(Disabled.TABLE)
                .set(Disabled.FAMILY, family)
                .set(Disabled.DISABLED_AT, now)
                .set(Disabled.DISABLED_BY, by)
                .onConflictDoNothing()
                .execute() == 1;
    }

    static boolean enable(DSLContext tx, String family) {
        return tx.deleteFrom(Disabled.TABLE).where(Disabled.FAMILY.eq(family)).execute() == 1;
    }

    static List<DisabledFamily> all(DSLContext db) {
        return db.select(Disabled.FAMILY, Disabled.DISABLED_AT, Disabled.DISABLED_BY)
                .from(Disabled.TABLE)
                .orderBy(Disabled.FAMILY)
                .fetch(r -> new DisabledFamily(r.value1(), r.value2(), r.value3()));
    }
}
