package astra.worker;

import astra.core.AstraException;
import astra.core.db.ConnectionLimits;
import java.util.Optional;

/**
 * The most database connections a run can hold: the scheduler's pool plus every worker's. It is
 * known before the run starts and checked against what the server allows, so that many workers
 * cannot exhaust PostgreSQL: the run refuses to start instead. {@code astra worker} checks its
 * host's share the same way.
 *
 * @param scheduler the connections of the process that starts the workers
 * @param owner what that process is, for messages: {@code scheduler}, or {@code astra worker}
 */
public record ConnectionBudget(int scheduler, int workers, int workerConnections, String owner) {

    /** The budget of a run, whose scheduler starts the workers. */
    public ConnectionBudget(int scheduler, int workers, int workerConnections) {
        this(scheduler, workers, workerConnections, "scheduler");
    }

    public int total() {
        return scheduler + workerConnections;
    }

    /** The line {@code astra run} prints before it starts. */
    public String describe(Optional<ConnectionLimits> limits) {
        String line = "connection budget: " + total() + " (" + owner + " " + scheduler + " + " + workers + " worker(s) holding "
                + workerConnections + ")";
        return limits.map(l -> line + "; server max_connections " + l.maxConnections() + ", "
                + l.reservedConnections() + " reserved, " + l.inUse() + " in use").orElse(line);
    }

    /**
     * Refuses a run that would not fit. At least one of the scheduler's connections is open
     * already and counted among those in use; the rest of its pool and every worker's must fit in
     * what is left.
     */
    public void check(Optional<ConnectionLimits> limits) {
        if (limits.isEmpty()) {
            return;
        }
        ConnectionLimits l = limits.get();
        if (total() - 1 > l.available()) {
            throw new AstraException.BadInput("refusing to start: " + workers + " worker(s) would hold up to "
                    + workerConnections + " connections and the " + owner + " " + scheduler + ", but the server has " + l.available() + " left (max_connections "
                    + l.maxConnections() + ", " + l.reservedConnections() + " reserved for superusers, " + l.inUse()
                    + " in use). Use fewer --workers, a smaller [worker] pool_size, or [database] use_pooling = false.");
        }
    }
}
