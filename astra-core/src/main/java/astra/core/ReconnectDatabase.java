package astra.core;

import astra.core.db.Database;
import astra.core.db.DatabaseSettings;

/**
 * The first initializer of every worker process: gives it database connections of its own.
 * A child JVM is started, not forked, so it inherits no connections; this is where its pool is
 * built, once, and the workers table records how many times that happened ({@code connects}).
 * A process that was handed an open {@link Database} calls {@link Database#initProcess()} instead.
 */
public final class ReconnectDatabase implements ProcessInitializer {

    private final DatabaseSettings settings;

    public ReconnectDatabase(DatabaseSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initialize(ProcessResources process) {
        process.database(Database.open(settings));
    }
}
