package astra.cli;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.config.Config;
import astra.core.params.TaskSchema;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code <Task> [--parameter value]...} on a command line: the task class it names (by family,
 * simple or qualified name), its parameters as options, and the task they build with the
 * config's {@code [Family]} section and the defaults. Shared by {@code astra run} and
 * {@code astra deps}, so a task is named the same way everywhere.
 */
final class TaskLine {

    private final TaskSchema schema;
    private final TaskOptions options;
    private final List<String> parameters;
    private final Map<String, String> configured;

    private TaskLine(TaskSchema schema, TaskOptions options, List<String> parameters, Map<String, String> configured) {
        this.schema = schema;
        this.options = options;
        this.parameters = parameters;
        this.configured = configured;
    }

    /** The user's classes with the class loader that reads them set on this thread, and the tasks among them. */
    static UserTasks userTasks(String classpath) {
        UserClasspath userClasspath = UserClasspath.of(System.getenv("ASTRA_CLASSPATH"), classpath);
        Thread.currentThread().setContextClassLoader(userClasspath.loader());
        return new UserTasks(userClasspath, TaskCatalog.scan(userClasspath.loader()));
    }

    record UserTasks(UserClasspath classpath, TaskCatalog catalog) {}

    /**
     * Resolves the task of {@code taskAndArgs} (which must not be empty), printing config
     * warnings about it to {@code err}.
     *
     * @param command e.g. "astra run", for messages and help
     * @param does what the command does with the task, for help: "%s" stands for the task's family and class
     * @param commandOptions the command's own options, which parameters may not shadow
     */
    static TaskLine parse(List<String> taskAndArgs, TaskCatalog catalog, Config cfg, String command, String does,
            List<OptionSpec> commandOptions, PrintWriter err) {
        if (taskAndArgs.isEmpty()) {
            throw new AstraException.BadInput(command + " needs a task: " + command + " <Task> [--param value]...");
        }
        TaskSchema schema = TaskSchema.of(catalog.resolve(taskAndArgs.get(0)));
        Map<String, String> configured = cfg.section(schema.family());
        ConfigChecks.warnings(cfg, catalog, schema).forEach(w -> err.println("astra: warning: " + w));
        String description = does.replace("%s", schema.family() + " (" + schema.type().getName() + ")");
        TaskOptions options = new TaskOptions(schema, command, description, commandOptions, configured);
        return new TaskLine(schema, options, taskAndArgs.subList(1, taskAndArgs.size()), configured);
    }

    TaskSchema schema() {
        return schema;
    }

    /** The task's parameters and the command's options, for {@code <Task> --help}. */
    String usage() {
        return options.usage();
    }

    /** The task: values from the command line, then the config, then the defaults. */
    Task task() {
        return schema.build(options.parse(parameters), configured);
    }

    /**
     * For a command whose arguments are a task line: an option it does not know is a task
     * parameter, passed on in order with the other arguments.
     */
    static final class TaskArguments implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().unmatchedOptionsArePositionalParams(true);
            return spec;
        }
    }
}
