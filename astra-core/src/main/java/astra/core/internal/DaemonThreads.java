package astra.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads of Astra's own timers and pools: daemons, so that none keeps a JVM alive, and named. */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads all called {@code name}: for a single-thread timer. */
    public static ThreadFactory named(String name) {
        return r -> daemon(new Thread(r, name));
    }

    /**
     * Threads called {@code prefix-1}, {@code prefix-2}, ..., loading classes as the creating
     * thread does (users' tasks may come from a class loader of their own).
     */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return r -> {
            Thread t = daemon(new Thread(r, prefix + "-" + n.incrementAndGet()));
            t.setContextClassLoader(loader);
            return t;
        };
    }

    private static Thread daemon(Thread t) {
        t.setDaemon(true);
        return t;
    }
}
