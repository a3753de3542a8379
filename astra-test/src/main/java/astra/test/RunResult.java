package astra.test;

import astra.core.Task;
import astra.core.Tasks;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.scheduler.ExecutionSummary;
import astra.scheduler.RunOutcome;
import java.util.List;

/**
 * What one run did: its {@link ExecutionSummary} (the text {@code astra run} prints, and its
 * counts) and each of its tasks as the database recorded it.
 *
 * <pre>{@code
 * RunResult run = astra.build(new Fit(7));
 * assertEquals(RunOutcome.SUCCESS, run.outcome(), run.render());
 * TaskResult fit = run.task(new Fit(7));
 * assertEquals(TaskState.DONE, fit.state());
 * }</pre>
 */
public final class RunResult {

    private final ExecutionSummary summary;
    private final TaskStore store;

    RunResult(ExecutionSummary summary, TaskStore store) {
        this.summary = summary;
        this.store = store;
    }

    /** How the run ended; {@link RunOutcome#SUCCESS} when everything is complete. */
    public RunOutcome outcome() {
        return summary.outcome();
    }

    /** Whether the run ended in {@link RunOutcome#SUCCESS}. */
    public boolean succeeded() {
        return outcome() == RunOutcome.SUCCESS;
    }

    /** The execution summary, with its counts ({@code ran()}, {@code failed()}, {@code blocked()}, ...). */
    public ExecutionSummary summary() {
        return summary;
    }

    /** The summary as {@code astra run} prints it: a good assertion message. */
    public String render() {
        return summary.render();
    }

    public long runId() {
        return summary.runId();
    }

    /**
     * A task of this run (a root or one it needs), as recorded now.
     *
     * @throws IllegalArgumentException if Astra has no row for it: it was complete before the run
     *     (see {@code summary().alreadyComplete()}) or is not part of it
     */
    public TaskResult task(Task task) {
        return task(Tasks.id(task));
    }

    /** {@link #task(Task)} by task id. */
    public TaskResult task(String taskId) {
        TaskRecord row = store.task(taskId).orElseThrow(() -> new IllegalArgumentException("Astra has no record of "
                + taskId + ": it was complete before the run, or is not part of it\n" + render()));
        return TaskResult.of(row, store.events(taskId));
    }

    /** Every task this run wrote to the database (the incomplete part of the graph), as recorded now. */
    public List<TaskResult> tasks() {
        return store.tasksOfRun(runId()).stream().map(r -> TaskResult.of(r, store.events(r.taskId()))).toList();
    }

    /** This run's tasks that ended in {@code state}. */
    public List<TaskResult> tasks(TaskState state) {
        return tasks().stream().filter(t -> t.state() == state).toList();
    }

    @Override
    public String toString() {
        return "RunResult[run " + runId() + ", " + outcome() + "]";
    }
}
