package astra.worker;

import astra.core.db.Database;
import java.util.ServiceLoader;

/**
 * Makes the {@link RequirementPlanner} a worker process uses for dynamic dependencies. The
 * scheduler module provides one (a {@link ServiceLoader} service), so a child process finds the
 * same planning the parent uses without the worker module depending on the scheduler.
 */
public interface RequirementPlannerFactory {

    /** A planner on this process's database, planning tasks under the run's retry policy. */
    RequirementPlanner create(Database database, RetryPolicy retry);

    /** The one on the classpath, or a planner that says what is missing. */
    static RequirementPlanner load(Database database, ClassLoader loader, RetryPolicy retry) {
        for (RequirementPlannerFactory factory : ServiceLoader.load(RequirementPlannerFactory.class, loader)) {
            return factory.create(database, retry);
        }
        return requirements -> {
            throw new IllegalStateException("dynamic dependencies need astra-scheduler on the worker's classpath");
        };
    }
}
