package astra.cli;

import astra.core.AstraException;
import astra.core.internal.Exceptions;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** The {@code astra} command. */
public final class Main {

    /** Set by the Ctrl-C hook: the JVM is exiting already and must not be asked to again. */
    static volatile boolean shuttingDown;

    private Main() {}

    public static void main(String[] args) {
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (!shuttingDown) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit code; output goes to the given writers. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new AstraCommand());
        // A task's own parameters are not run's options: they reach RunCommand as arguments.
        cli.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, err, debug));
        cli.setParameterExceptionHandler((e, strings) -> {
            err.println("astra: " + e.getMessage());
            err.println("See 'astra --help' or '" + e.getCommandLine().getCommandName() + " --help'.");
            err.flush();
            return ExitCodes.BAD_INPUT;
        });
        return cli.execute(args);
    }

    private static int report(Exception e, PrintWriter err, boolean debug) {
        if (e instanceof AstraException) {
            err.println("astra: " + e.getMessage());
        } else {
            err.println("astra: unexpected error: " + Exceptions.oneLine(e)
                    + (debug ? "" : " (run again with --debug for the stack trace)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.of(e);
    }
}
