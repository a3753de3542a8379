package astra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "vs peer" cell of an Astra throughput row on PostgreSQL: its execution rate over each
 * peer's in the same table with the same N and the same number of workers (threads, clients).
 * Above 1 Astra is faster. For db-scheduler, which also starts a JVM, the ratio of the N / wall
 * rates follows in brackets; pgbench starts no JVM, so only its execution rate compares.
 */
final class PeerRatios {

    private PeerRatios() {}

    static String cell(Row astra, List<Row> rows) {
        if (!isComparedWithPeers(astra)) {
            return Row.DASH;
        }
        List<String> parts = new ArrayList<>();
        for (Row peer : rows) {
            if (peer.status != Row.Status.OK || !peer.key.id().startsWith(Peers.PREFIX) || peer.key.db() != astra.key.db()
                    || peer.key.n() != astra.key.n() || peer.key.workers() != astra.key.workers()
                    || !positive(peer.executionRate)) {
                continue;
            }
            String part = String.format(Locale.ROOT, "%.2f× %s", astra.executionRate / peer.executionRate,
                    peer.key.id().substring(Peers.PREFIX.length()));
            if (peer.key.id().equals(Peers.DB_SCHEDULER) && positive(astra.tasksPerSecond) && positive(peer.tasksPerSecond)) {
                part += String.format(Locale.ROOT, " (wall %.2f×)", astra.tasksPerSecond / peer.tasksPerSecond);
            }
            parts.add(part);
        }
        return parts.isEmpty() ? Row.DASH : String.join("; ", parts);
    }

    private static boolean isComparedWithPeers(Row row) {
        return row.status == Row.Status.OK && row.key.id().equals("throughput") && row.key.db() == Row.Db.POSTGRES
                && positive(row.executionRate);
    }

    private static boolean positive(Double value) {
        return value != null && !value.isNaN() && value > 0;
    }
}
