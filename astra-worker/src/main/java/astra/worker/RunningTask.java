package astra.worker;

import astra.core.ProcessResources;
import astra.core.Target;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.store.Plan;
import astra.plan.RequirementPlanner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link TaskContext} of one attempt of one task. */
final class RunningTask implements TaskContext {

    private final Task task;
    private final String taskId;
    private final DSLContext db;
    private final RequirementPlanner planner;
    private final ProcessResources resources;
    private final Logger logger;
    private volatile double progress;
    private volatile String status = "";
    private Plan suspension;

    RunningTask(Task task, String taskId, DSLContext db, RequirementPlanner planner, ProcessResources resources) {
        this.task = task;
        this.taskId = taskId;
        this.db = db;
        this.planner = planner;
        this.resources = resources;
        this.logger = LoggerFactory.getLogger("astra.task." + Tasks.family(task));
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public DSLContext db() {
        return db;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public void setProgress(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be between 0 and 1, got " + fraction);
        }
        progress = fraction;
        logger.debug("{}: {}%", taskId, Math.round(fraction * 100));
    }

    @Override
    public void setStatus(String status) {
        this.status = status == null ? "" : status;
        logger.info("{}: {}", taskId, this.status);
    }

    /**
     * What {@link #require} added, if it suspended the task: the new tasks and edges, including
     * one from this task to each incomplete requirement.
     */
    Optional<Plan> suspension() {
        return Optional.ofNullable(suspension);
    }

    double progress() {
        return progress;
    }

    String status() {
        return status;
    }

    @Override
    public <T> T resource(Class<T> type) {
        return resources.resource(type);
    }

    @Override
    public List<Target> input() {
        return outputsOf(task.requires());
    }

    @Override
    public List<Target> require(Task... tasks) {
        List<Task> requirements = List.of(tasks);
        Plan plan = planner.plan(requirements);
        if (plan.tasks().isEmpty()) {
            return outputsOf(requirements);
        }
        Set<String> planned = new HashSet<>();
        plan.tasks().forEach(t -> planned.add(t.taskId()));
        List<Plan.Edge> edges = new ArrayList<>(plan.edges());
        for (Task requirement : requirements) {
            String id = Tasks.id(requirement);
            if (planned.contains(id)) {
                edges.add(new Plan.Edge(taskId, id));
            }
        }
        suspension = new Plan(plan.tasks(), edges);
        throw new Suspended(requirements);
    }

    private static List<Target> outputsOf(List<? extends Task> tasks) {
        List<Target> outputs = new ArrayList<>();
        for (Task t : tasks) {
            outputs.addAll(t.output());
        }
        return outputs;
    }
}
