package astra.cli;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.store.DisabledFamily;
import astra.core.store.TaskRecord;
import astra.core.store.TaskStore;
import astra.plan.GraphPlanner;
import astra.plan.NodeStatus;
import astra.plan.RetryPolicy;
import astra.plan.TaskGraph;
import astra.plan.TaskNode;
import astra.scheduler.SchedulerOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "deps",
        description = "Shows the tasks a task needs, as a tree, each with its state: complete, pending, running, "
                + "failed, missing external data, or error. A complete task's requirements are not expanded "
                + "(a run would not need them); a task met twice is shown once, then \"(see above)\".",
        modelTransformer = TaskLine.TaskArguments.class,
        synopsisHeading = "Usage: ",
        customSynopsis = {"astra deps <Task> [--<parameter> <value>]...",
                "          [--depth N] [--max-lines N] [--config FILE] [--db URL] [--cp PATHS] [--debug]"},
        footer = {"", "Examples:",
                "  astra deps ProcessField --field 42",
                "  astra deps ProcessField --field 42 --depth 1     the task and what it needs directly",
                "  astra deps ProcessField --help                   lists ProcessField's parameters"})
final class DepsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--depth", paramLabel = "N",
            description = "Levels of requirements shown below the task (default: all).")
    Integer depth;

    @Option(names = "--max-lines", paramLabel = "N", defaultValue = "1000",
            description = "Lines of tree at most; a larger graph ends with counts per family (default: ${DEFAULT-VALUE}).")
    int maxLines;

    @Option(names = {"-h", "--help"}, description = "Show this help, or with a task, the task's parameters.")
    boolean help;

    @Parameters(paramLabel = "TASK [PARAMETERS]", arity = "0..*",
            description = "The task's family or class name, then its parameters as --name value.")
    List<String> taskAndArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (taskAndArgs.isEmpty() && help) {
            spec.commandLine().usage(out);
            return ExitCodes.OK;
        }
        if (depth != null && depth < 0) {
            throw new AstraException.BadInput("--depth must be 0 or more, not " + depth);
        }
        if (maxLines < 1) {
            throw new AstraException.BadInput("--max-lines must be 1 or more, not " + maxLines);
        }
        PrintWriter err = spec.commandLine().getErr();
        Config cfg = database.loadConfig(err);
        Logging.configure(cfg, GlobalOptions.of(spec).debug());
        TaskLine.UserTasks user = TaskLine.userTasks(GlobalOptions.of(spec).classpath());
        TaskLine line = TaskLine.parse(taskAndArgs, user.catalog(), cfg, "astra deps",
                "Shows the tasks that %s needs, with their state.", spec.options(), err);
        if (help) {
            out.print(line.usage());
            return ExitCodes.OK;
        }
        Task task = line.task();
        try (Database opened = database.open(cfg)) {
            TaskStore store = opened.store();
            TaskGraph graph = new GraphPlanner(store, SchedulerOptions.from(cfg).checkThreads(), RetryPolicy.from(cfg))
                    .graphOf(List.of(task));
            Map<String, TaskRecord> rows = store.tasks(graph.nodes().stream().map(TaskNode::id).toList()).stream()
                    .collect(Collectors.toMap(TaskRecord::taskId, Function.identity()));
            Set<String> disabled = store.disabledFamilies().stream().map(DisabledFamily::family)
                    .collect(Collectors.toSet());
            DepsTree tree = new DepsTree(graph, rows, disabled);
            List<String> lines = tree.render(depth == null ? -1 : depth, maxLines);
            lines.forEach(out::println);
            out.println();
            out.println(tree.summary());
            if (lines.size() > maxLines) {
                tree.byFamily().forEach(out::println);
            }
            // As astra run would: a requires() or complete() that threw is a scheduling error.
            boolean errors = graph.nodes().stream().anyMatch(n -> n.status() == NodeStatus.ERROR);
            return errors ? ExitCodes.SCHEDULING_ERROR : ExitCodes.OK;
        }
    }
}
