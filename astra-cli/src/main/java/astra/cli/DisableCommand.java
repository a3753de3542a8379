package astra.cli;

import astra.core.AstraException;
import astra.core.db.Database;
import astra.core.internal.Suggestions;
import astra.core.store.DisabledFamily;
import astra.core.store.TaskStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "disable",
        mixinStandardHelpOptions = true,
        description = "Stops every worker, of every run on this database, from starting tasks of a family: they stay "
                + "pending, and a run that has nothing else to do ends. 'astra enable' undoes it. The family must "
                + "be recorded in the database or be on the classpath (--cp).",
        footer = {"", "Examples:",
                "  astra disable EstimateLabels",
                "  astra status                    lists the disabled families"})
final class DisableCommand implements Callable<Integer> {

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
            requireKnown(store);
            if (store.disableFamily(family, System.getProperty("user.name", "unknown"))) {
                out.println("Disabled " + family + ": no worker starts its tasks until 'astra enable " + family + "'.");
            } else {
                Optional<DisabledFamily> was = store.disabledFamilies().stream()
                        .filter(d -> d.family().equals(family)).findFirst();
                out.println(family + " was disabled already" + was.map(d -> " (since " + Table.time(d.since())
                        + (d.by() == null ? "" : " by " + d.by()) + ")").orElse("") + ".");
            }
            return ExitCodes.OK;
        }
    }

    private void requireKnown(TaskStore store) {
        List<String> recorded = store.families();
        if (recorded.contains(family)) {
            return;
        }
        TreeSet<String> known = new TreeSet<>(recorded);
        TaskLine.userTasks(GlobalOptions.of(spec).classpath()).catalog().entries()
                .forEach(e -> known.add(e.family()));
        if (!known.contains(family)) {
            List<String> close = Suggestions.closest(family, known, 3);
            throw new AstraException.BadInput("unknown family '" + family + "': it is neither recorded in the database "
                    + "nor on the classpath" + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
        }
    }
}
