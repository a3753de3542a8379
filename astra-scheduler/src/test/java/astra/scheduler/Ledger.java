package astra.scheduler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What test tasks did, in order: a task appends its name when it runs. */
final class Ledger {

    private static final List<String> RUNS = new CopyOnWriteArrayList<>();

    private Ledger() {}

    static void ran(String name) {
        RUNS.add(name);
    }

    static List<String> runs() {
        return List.copyOf(RUNS);
    }

    static long count(String name) {
        return RUNS.stream().filter(name::equals).count();
    }

    static void clear() {
        RUNS.clear();
    }
}
