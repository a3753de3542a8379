package astra.core;

import astra.core.db.Database;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one worker process holds for its whole life: its database and the resources its
 * initializers provided, looked up by type.
 */
public final class ProcessResources {

    private final String workerId;
    private final Map<Class<?>, Object> resources;
    private volatile Database database;

    public ProcessResources(String workerId) {
        this.workerId = workerId;
        this.resources = new ConcurrentHashMap<>();
    }

    private ProcessResources(String workerId, Map<Class<?>, Object> resources, Database database) {
        this.workerId = workerId;
        this.resources = resources;
        this.database = database;
    }

    /** The resources of a worker whose process has its database open already (a worker on a thread). */
    public ProcessResources(String workerId, Database database) {
        this(workerId, new ConcurrentHashMap<>(), database);
    }

    /**
     * The same process's database and resources, seen by one of its worker slots (a thread with
     * a loop of its own), which claims under its own worker id. Made after the initializers ran.
     */
    public ProcessResources forSlot(String slotWorkerId) {
        return new ProcessResources(slotWorkerId, resources, database);
    }

    public String workerId() {
        return workerId;
    }

    /** The process's database, once {@link ReconnectDatabase} has run. */
    public Database database() {
        Database db = database;
        if (db == null) {
            throw new IllegalStateException("the database is connected by the first initializer, ReconnectDatabase");
        }
        return db;
    }

    void database(Database db) {
        this.database = db;
    }

    /** Makes {@code value} what {@code TaskContext.resource(type)} returns in this process. */
    public <T> void provide(Class<T> type, T value) {
        if (resources.putIfAbsent(type, type.cast(value)) != null) {
            throw new IllegalStateException("a " + type.getName() + " was provided already in this process");
        }
    }

    /** What was provided for {@code type}. */
    public <T> T resource(Class<T> type) {
        Object value = resources.get(type);
        if (value == null) {
            throw new IllegalStateException("no initializer of this worker process provided a " + type.getName()
                    + " (see [worker] initializers)");
        }
        return type.cast(value);
    }
}
