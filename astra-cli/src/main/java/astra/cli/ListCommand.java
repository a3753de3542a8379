package astra.cli;

import astra.core.AstraException;
import astra.core.Visibility;
import astra.core.params.ParamSpec;
import astra.core.params.TaskSchema;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the task families on the classpath, with their public parameters.",
        footer = {"", "Examples:",
                "  astra --cp examples/target/astra-examples.jar list",
                "  astra list --cp build/classes      your tasks in a class directory"})
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TaskCatalog catalog = TaskLine.userTasks(GlobalOptions.of(spec).classpath()).catalog();
        List<TaskCatalog.Entry> entries = catalog.entries().stream()
                .sorted(Comparator.comparing(TaskCatalog.Entry::family).thenComparing(TaskCatalog.Entry::className))
                .toList();
        if (entries.isEmpty()) {
            out.println("No task classes on the classpath: add your jar or classes directory with --cp or $ASTRA_CLASSPATH.");
            return ExitCodes.OK;
        }
        for (TaskCatalog.Entry entry : entries) {
            out.println(entry.family() + "  (" + entry.className() + ")");
            try {
                TaskSchema schema = TaskSchema.of(catalog.resolve(entry.className()));
                List<ParamSpec> shown = schema.params().stream().filter(p -> p.visibility() == Visibility.PUBLIC).toList();
                if (shown.isEmpty()) {
                    out.println("    (no parameters)");
                }
                for (ParamSpec p : shown) {
                    out.println("    " + describe(p));
                }
            } catch (AstraException e) {
                out.println("    cannot be used: " + e.getMessage());
            }
        }
        out.println();
        out.println(entries.size() + " task famil" + (entries.size() == 1 ? "y" : "ies")
                + "; 'astra run <Task> --help' shows one in full.");
        return ExitCodes.OK;
    }

    private static String describe(ParamSpec p) {
        StringBuilder line = new StringBuilder("--" + p.optionName() + " <" + p.typeName() + ">");
        line.append(p.defaultValue().map(d -> "  (default: " + d + ")").orElse("  (required)"));
        if (!p.description().isBlank()) {
            line.append("  ").append(p.description());
        }
        return line.toString();
    }
}
