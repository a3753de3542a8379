package astra.worker;

import astra.core.db.Database;
import java.util.ServiceLoader;

/**
 * Makes the {@link RequirementPlanner} a worker process uses for dynamic dependencies. The
 * scheduler module provides one (a {@link ServiceLoader} service), so a child process finds the
 * same planning the parent uses without the worker module depending on the scheduler.
 */
public interface RequirementPlannerFactory {

    RequirementPlanner create(Database database);

    /** The one on the classpath, or a planner that says what is missing. */
    static RequirementPlanner load(Database database, ClassLoader loader) {
        for (RequirementPlannerFactory factory : ServiceLoader.load(RequirementPlannerFactory.class, loader)) {
            return factory.create(database);
        }
        return requirements -> {
            throw new IllegalStateException("dynamic dependencies need astra-scheduler on the worker's classpath");
        };
    }
}
