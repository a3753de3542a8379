package astra.cli;

import astra.core.AstraException;
import astra.core.db.Database;
import astra.core.store.DisabledFamily;
import astra.core.store.TaskStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "enable",
        mixinStandardHelpOptions = true,
        description = "Lets workers start tasks of a family that 'astra disable' stopped. Its pending tasks run when "
                + "a run that needs them is started, or by a live run whose workers are still claiming.",
        footer = {"", "Example:", "  astra enable EstimateLabels"})
final class EnableCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Parameters(paramLabel = "FAMILY", description = "The task family.")
    String family;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database opened = database.open(database.loadConfig(spec.commandLine().getErr()))) {
            TaskStore store = opened.store();
            if (!store.enableFamily(family)) {
                List<String> disabled = store.disabledFamilies().stream().map(DisabledFamily::family).toList();
                throw new AstraException.BadInput("family '" + family + "' is not disabled; disabled families: "
                        + (disabled.isEmpty() ? "none" : String.join(", ", disabled)));
            }
            out.println("Enabled " + family + ": workers start its tasks again.");
            return ExitCodes.OK;
        }
    }
}
