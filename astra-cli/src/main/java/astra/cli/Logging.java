package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.worker.WorkerOptions;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Sets log levels from {@code [core] log_level} and {@code --debug}. */
final class Logging {

    private Logging() {}

    /** Sets the level of Astra's loggers in this process and returns it, for worker processes. */
    static String configure(Config config, boolean debug) {
        return configure(config, debug, null);
    }

    /**
     * As {@link #configure(Config, boolean)}, with {@code fallback} (when not null) in place of
     * the default level when the config sets none.
     */
    static String configure(Config config, boolean debug, String fallback) {
        String unset = fallback != null ? fallback : ConfigKeys.LOG_LEVEL.defaultValue();
        String name = debug ? "DEBUG"
                : config.get("core", "log_level", unset).trim().toUpperCase(Locale.ROOT);
        if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(name)) {
            throw new AstraException.BadConfig("[core] log_level: '" + name
                    + "' is not a level; use one of DEBUG, INFO, WARN, ERROR, OFF");
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger("astra").setLevel(Level.toLevel(name));
        context.getLogger(POOL_LOGGER).setLevel(Level.toLevel(poolLevel(name)));
        return name;
    }

    /** The connection pool's logger: silent unless Astra's level is DEBUG or finer. */
    private static final String POOL_LOGGER = "com.zaxxer.hikari";

    private static String poolLevel(String level) {
        return level.equals("DEBUG") || level.equals("TRACE") ? "WARN" : "OFF";
    }

    /** The JVM options that give a worker process the same levels (see logback.xml). */
    static WorkerOptions withWorkerLevels(WorkerOptions options, String level) {
        return options.withJvmOption("-Dastra.log.level=" + level)
                .withJvmOption("-Dastra.hikari.level=" + poolLevel(level));
    }
}
