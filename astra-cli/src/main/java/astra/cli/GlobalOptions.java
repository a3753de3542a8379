package astra.cli;

import picocli.CommandLine.Option;

/** Options every command takes, before or after its name. */
final class GlobalOptions {

    @Option(names = "--cp", paramLabel = "PATHS",
            description = "Jars and class directories holding your tasks, separated by '${sys:path.separator}'; "
                    + "dir/* takes every jar in dir. Added to $ASTRA_CLASSPATH.")
    String classpath;

    @Option(names = "--debug", description = "Log everything and show stack traces.")
    boolean debug;
}
