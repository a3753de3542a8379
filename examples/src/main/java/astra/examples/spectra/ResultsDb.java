package astra.examples.spectra;

import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The results database for code that has no {@code TaskContext}, such as {@code complete()}.
 * {@code run()} installs {@code ctx.db()}, which is the process's own pooled connection, so
 * keeping it for the life of the process is safe.
 */
final class ResultsDb {

    private static volatile DSLContext current;

    private ResultsDb() {}

    static void install(DSLContext db) {
        current = db;
    }

    static Optional<DSLContext> current() {
        return Optional.ofNullable(current);
    }
}
