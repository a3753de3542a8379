package astra.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "astra",
        mixinStandardHelpOptions = true,
        versionProvider = AstraCommand.Version.class,
        description = "Runs pipelines of tasks written as Java classes, keeping their state in a database.",
        subcommands = {RunCommand.class, WorkerCommand.class, ListCommand.class, DepsCommand.class, StatusCommand.class, ShowCommand.class,
                LogsCommand.class, ResetCommand.class, DisableCommand.class, EnableCommand.class, DbCommand.class, NewCommand.class, UiCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "Run 'astra run <Task> --help' for a task's parameters.",
                "Shell completion for bash and zsh: source <(astra generate-completion)", "", ExitCodes.TABLE})
final class AstraCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_INPUT;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return BuildInfo.versionLines();
        }
    }
}
