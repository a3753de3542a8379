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
            err.println("astra: " + describe(e));
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println("See '" + command + " --help'.");
            err.flush();
            return ExitCodes.BAD_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
            if (!first.startsWith("-") && !spec.subcommands().isEmpty()) {
                return "unknown command '" + first + "'; the commands are: " + String.join(", ", spec.subcommands().keySet());
            }
            return "unknown option '" + first + "'";
        }
        return e.getMessage();
    }

    private static int report(Exception e, PrintWriter err, boolean debug) {
        if (e instanceof AstraException) {
            err.println("astra: " + e.getMessage());
        } else if (ExitCodes.isLostConnection(e)) {
            err.println("astra: lost the database: " + Exceptions.oneLine(e)
                    + "; tasks left running are handed back by the next astra run");
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
