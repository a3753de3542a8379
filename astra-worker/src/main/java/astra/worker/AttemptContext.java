package astra.worker;

import astra.core.ProcessResources;
import astra.core.Target;
import astra.core.Task;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the context of one attempt gives a task, whether it runs alone ({@link RunningTask}) or
 * as a batch ({@link RunningBatch}): the process's connections and resources, the family's
 * logger, and progress and status lines naming what runs.
 */
abstract class AttemptContext {

    private final DSLContext db;
    private final ProcessResources resources;
    private final Logger logger;
    /** What the progress and status lines name: the task id, or the batch. */
    private final String label;

    AttemptContext(String family, String label, DSLContext db, ProcessResources resources) {
        this.db = db;
        this.resources = resources;
        this.logger = LoggerFactory.getLogger("astra.task." + family);
        this.label = label;
    }

    public DSLContext db() {
        return db;
    }

    public Logger logger() {
        return logger;
    }

    public <R> R resource(Class<R> type) {
        return resources.resource(type);
    }

    public void setProgress(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be between 0 and 1, got " + fraction);
        }
        progressed(fraction);
        logger.debug("{}: {}%", label, Math.round(fraction * 100));
    }

    public void setStatus(String status) {
        String line = status == null ? "" : status;
        statusChanged(line);
        logger.info("{}: {}", label, line);
    }

    /** Called with each progress the task reports, before it is logged. */
    void progressed(double fraction) {}

    /** Called with each status the task sets (never null), before it is logged. */
    void statusChanged(String status) {}

    String label() {
        return label;
    }

    /** The outputs of the tasks, in order: what a task reads as its input. */
    static List<Target> outputsOf(List<? extends Task> tasks) {
        List<Target> outputs = new ArrayList<>();
        for (Task t : tasks) {
            outputs.addAll(t.output());
        }
        return outputs;
    }
}
