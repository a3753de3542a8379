package astra.core.db;

/**
 * What the database server allows: {@code max_connections}, the slots reserved for superusers,
 * and the connections open right now (all databases, all users).
 */
public record ConnectionLimits(int maxConnections, int reservedConnections, int inUse) {

    /** Connections still available to ordinary users. */
    public int available() {
        return Math.max(0, maxConnections - reservedConnections - inUse);
    }
}
