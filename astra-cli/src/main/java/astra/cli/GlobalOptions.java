package astra.cli;

import java.io.File;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after its name: declared once, on {@code astra}
 * ({@link AstraCommand}), and inherited by every subcommand (picocli's {@link ScopeType#INHERIT}).
 * Inherited options are bound to this one instance, whichever command they are given to; a
 * command reads them with {@link #of}.
 */
final class GlobalOptions {

    private String classpath;

    /**
     * {@code --cp}. Given before the command's name and after it ({@code astra --cp a run --cp b}),
     * both count, in that order; twice on the same command is refused, as for any option.
     */
    @Option(names = "--cp", paramLabel = "PATHS", scope = ScopeType.INHERIT,
            description = "Jars and class directories holding your tasks, separated by '${sys:path.separator}'; "
                    + "dir/* takes every jar in dir. Added to $ASTRA_CLASSPATH.")
    private void classpath(String paths) {
        classpath = classpath == null ? paths : classpath + File.pathSeparator + paths;
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Log everything and show stack traces.")
    private boolean debug;

    /** The global options of the command line that {@code spec} (any command of it) belongs to. */
    static GlobalOptions of(CommandSpec spec) {
        return ((AstraCommand) spec.root().userObject()).global;
    }

    /** {@code --cp}, or null when it was not given. */
    String classpath() {
        return classpath;
    }

    /** {@code --debug}. */
    boolean debug() {
        return debug;
    }
}
