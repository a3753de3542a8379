package astra.worker;

import astra.core.ProcessResources;
import astra.core.Target;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.store.Plan;
import astra.core.store.TaskStore;
import astra.plan.RequirementPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jooq.DSLContext;

/** The {@link TaskContext} of one attempt of one task. */
final class RunningTask extends AttemptContext implements TaskContext {

    private final Task task;
    private final String taskId;
    private final RequirementPlanner planner;
    private final TaskStore store;
    private final String workerId;
    private final long started = System.nanoTime();
    /** Whether {@link #transaction} ran: null if not, else whether it committed (false: the claim was lost). */
    private Boolean committed;
    private volatile double progress;
    private volatile String status = "";
    private Plan suspension;

    RunningTask(Task task, String taskId, DSLContext db, RequirementPlanner planner, ProcessResources resources,
            TaskStore store) {
        super(Tasks.family(task), taskId, db, resources);
        this.task = task;
        this.taskId = taskId;
        this.planner = planner;
        this.store = store;
        this.workerId = resources.workerId();
    }

    @Override
    public <T> T transaction(Function<DSLContext, T> work) {
        if (committed != null) {
            throw new IllegalStateException("ctx.transaction() records " + taskId
                    + " done: call it once per attempt, as the task's last step");
        }
        AtomicReference<T> result = new AtomicReference<>();
        boolean held = store.markDoneWith(taskId, workerId, Duration.ofNanos(System.nanoTime() - started),
                tx -> result.set(work.apply(tx)));
        committed = held;
        if (!held) {
            throw new ClaimLost(taskId);
        }
        return result.get();
    }

    /** Whether {@link #transaction} ran: empty if not, else whether it committed the task done. */
    Optional<Boolean> committed() {
        return Optional.ofNullable(committed);
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    void progressed(double fraction) {
        progress = fraction;
    }

    @Override
    void statusChanged(String status) {
        this.status = status;
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
}
