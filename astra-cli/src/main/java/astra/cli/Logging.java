package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Sets log levels from {@code [core] log_level} and {@code --debug}. */
final class Logging {

    private Logging() {}

    static void configure(Config config, boolean debug) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (debug) {
            context.getLogger("astra").setLevel(Level.DEBUG);
            return;
        }
        String name = config.get("core", "log_level", ConfigKeys.LOG_LEVEL.defaultValue()).trim().toUpperCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(name)) {
            throw new AstraException.BadConfig("[core] log_level: '" + name
                    + "' is not a level; use one of DEBUG, INFO, WARN, ERROR, OFF");
        }
        context.getLogger("astra").setLevel(Level.toLevel(name));
    }
}
