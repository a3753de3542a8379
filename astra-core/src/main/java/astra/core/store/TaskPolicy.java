package astra.core.store;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the queue treats one planned task, fixed when it is planned: its priority among ready
 * tasks, how often and how soon a failed attempt is retried, the shared resources it uses while
 * it runs, and the batch it may be claimed with.
 *
 * @param priority higher runs first among ready tasks
 * @param retries how many failed attempts may be retried (0: the first failure is final)
 * @param retryDelay how long a retried task waits before it can be claimed again
 * @param resources amount used of each named resource while the task runs (each above 0)
 * @param batchKey tasks with the same key (of one family, differing only in batchable
 *     parameters) are claimed together; null for a task that is never batched
 * @param batchSize how many tasks one batch claim may take (1 without a batch key)
 */
public record TaskPolicy(
        int priority, int retries, Duration retryDelay, Map<String, Integer> resources, String batchKey, int batchSize) {

    public static final TaskPolicy DEFAULT = new TaskPolicy(0, 0, Duration.ZERO, Map.of(), null, 1);

    public TaskPolicy {
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (retries < 0 || retryDelay.isNegative()) {
            throw new IllegalArgumentException("retries and retryDelay cannot be negative");
        }
        resources = Map.copyOf(new TreeMap<>(resources));
        resources.forEach((name, amount) -> {
            if (amount == null || amount <= 0) {
                throw new IllegalArgumentException("resource " + name + " must be used in an amount above 0, got " + amount);
            }
        });
        if (batchSize < 1 || (batchKey == null && batchSize != 1)) {
            throw new IllegalArgumentException("batchSize must be 1 without a batch key and at least 1 with one");
        }
    }

    public TaskPolicy withPriority(int newPriority) {
        return new TaskPolicy(newPriority, retries, retryDelay, resources, batchKey, batchSize);
    }

    public TaskPolicy withRetries(int newRetries, Duration newDelay) {
        return new TaskPolicy(priority, newRetries, newDelay, resources, batchKey, batchSize);
    }

    public TaskPolicy withResources(Map<String, Integer> newResources) {
        return new TaskPolicy(priority, retries, retryDelay, newResources, batchKey, batchSize);
    }

    public TaskPolicy withBatch(String newBatchKey, int newBatchSize) {
        return new TaskPolicy(priority, retries, retryDelay, resources, newBatchKey, newBatchSize);
    }
}
