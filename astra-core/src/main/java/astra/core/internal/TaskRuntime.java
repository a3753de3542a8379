package astra.core.internal;

import astra.core.Task;
import astra.core.db.Database;
import astra.core.store.TaskStore;

/**
 * The database this process opened, which the default {@link Task#complete()} and
 * {@link Database#current()} use. Installed by {@code Database.open} and again by
 * {@code Database.initProcess()}; removed when that database is closed.
 */
public final class TaskRuntime {

    private static volatile Database database;

    private TaskRuntime() {}

    public static void install(Database db) {
        database = db;
    }

    /** Removes {@code db} if it is the one installed. */
    public static synchronized void uninstall(Database db) {
        if (database == db) {
            database = null;
        }
    }

    public static Database database() {
        Database db = database;
        if (db == null) {
            throw new IllegalStateException(
                    "no Astra database is open in this process: complete() and Database.current() work in tasks"
                            + " run by astra, or after Database.open(...)");
        }
        return db;
    }

    public static TaskStore store() {
        return database().store();
    }
}
