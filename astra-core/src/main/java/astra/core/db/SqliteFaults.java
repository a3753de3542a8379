package astra.core.db;

import java.nio.file.Path;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What a failure of a SQLite file means for the person at the terminal: the disk is full, the
 * file or its directory cannot be written, the file is not a database (corrupt). Each is a
 * sentence naming the file and what to do; nothing recorded before is lost, since SQLite rolls
 * back the transaction that failed.
 */
final class SqliteFaults {

    private SqliteFaults() {}

    /** The sentence for {@code failure} on {@code file}, if it is one of these faults. */
    static Optional<String> describe(Throwable failure, Path file) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException sqlite && sqlite.getResultCode() != null) {
                return describe(sqlite.getResultCode(), file);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> describe(SQLiteErrorCode code, Path file) {
        int primary = code.code & 0xff;
        if (primary == SQLiteErrorCode.SQLITE_FULL.code || code == SQLiteErrorCode.SQLITE_IOERR_WRITE
                || code == SQLiteErrorCode.SQLITE_IOERR_FSYNC || code == SQLiteErrorCode.SQLITE_IOERR_TRUNCATE) {
            return Optional.of("the disk holding " + file + " is full (or failed to write): free some space and"
                    + " run again; what was recorded before is kept, and tasks cut short run again");
        }
        if (primary == SQLiteErrorCode.SQLITE_READONLY.code) {
            return Optional.of(file + " cannot be written (the file, its directory or the file system is read-only):"
                    + " make them writable, or point [database] url at a writable place");
        }
        if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return Optional.of(file + " is not a usable SQLite database (damaged, or another kind of file): move it"
                    + " aside (keep it for a recovery with sqlite3's .recover) and run again; a new database starts empty:"
                    + " tasks whose outputs exist are complete, the others run again");
        }
        if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            return Optional.of("cannot open " + file + ": its directory must exist and be writable (SQLite writes"
                    + " its -wal and -shm files beside it)");
        }
        if (primary == SQLiteErrorCode.SQLITE_IOERR.code) {
            return Optional.of("the disk holding " + file + " failed a read or write (" + code.message + "): check"
                    + " the file system, then run again");
        }
        return Optional.empty();
    }
}
