package astra.worker;

import astra.core.AstraException;
import astra.core.config.ConfigKeys;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code [worker] processes}: how many JVMs the worker slots of a pool ({@code --workers}) run
 * in, each slot a thread of its JVM with its own claim-run-record loop. Never more JVMs than
 * slots; the slots spread over them as evenly as possible.
 *
 * @param count the JVMs asked for; 0 for {@link #AUTO}, -1 for {@link #PER_SLOT}
 */
public record WorkerProcesses(int count) {

    /**
     * One JVM per {@link #SLOTS_PER_PROCESS} slots, and no more JVMs than this host's available
     * processors: the default. Each JVM costs its own start, class loading and compilation; on 2
     * cores, 8 slots ran 10,000 trivial tasks at 2,023–2,277 tasks/s in one JVM against
     * 1,569–1,986 in two (PostgreSQL, two runs each).
     */
    public static final WorkerProcesses AUTO = new WorkerProcesses(0);

    /** The most slots {@link #AUTO} puts in one JVM before it starts another. */
    public static final int SLOTS_PER_PROCESS = 8;

    /** One JVM per slot ({@code processes = workers}): each task alone in its process. */
    public static final WorkerProcesses PER_SLOT = new WorkerProcesses(-1);

    public WorkerProcesses {
        if (count < -1) {
            throw new IllegalArgumentException("processes must be auto (0), workers (-1) or at least 1, got " + count);
        }
    }

    /** {@code n} JVMs (at most one per slot). */
    public static WorkerProcesses of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("processes must be at least 1, got " + n);
        }
        return new WorkerProcesses(n);
    }

    /** The key's value: {@code auto}, {@code workers}, or a number of at least 1. */
    public static WorkerProcesses parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return AUTO;
        }
        if (v.equals("workers")) {
            return PER_SLOT;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return new WorkerProcesses(n);
            }
        } catch (NumberFormatException e) {
            // Said below, with the key.
        }
        throw new AstraException.BadConfig("[" + ConfigKeys.WORKER_PROCESSES.section() + "] "
                + ConfigKeys.WORKER_PROCESSES.name() + " = '" + value.strip()
                + "': use auto, workers (one process per worker slot) or a number of at least 1");
    }

    /** How many JVMs run {@code slots} slots on a host with {@code processors} available processors. */
    public int processesFor(int slots, int processors) {
        int wanted = switch (count) {
            case 0 -> Math.min(Math.max(1, processors), (slots + SLOTS_PER_PROCESS - 1) / SLOTS_PER_PROCESS);
            case -1 -> slots;
            default -> count;
        };
        return Math.max(1, Math.min(wanted, slots));
    }

    /** How many JVMs run {@code slots} slots on this host. */
    public int processesFor(int slots) {
        return processesFor(slots, Runtime.getRuntime().availableProcessors());
    }

    /** The slots of each of {@code processes} JVMs, largest first: 5 over 2 is 3 and 2. */
    public static int[] spread(int slots, int processes) {
        int[] shares = new int[processes];
        Arrays.fill(shares, slots / processes);
        for (int i = 0; i < slots % processes; i++) {
            shares[i]++;
        }
        return shares;
    }

    @Override
    public String toString() {
        return switch (count) {
            case 0 -> "auto";
            case -1 -> "workers";
            default -> Integer.toString(count);
        };
    }
}
