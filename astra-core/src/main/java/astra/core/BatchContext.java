package astra.core;

import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;

/** What a running {@link BatchTask#runBatch} call gets from Astra. */
public interface BatchContext<T extends Task> {

    /** Each member's task id, in the order of the batch. */
    String taskId(T member);

    /** jOOQ on this process's database connections (pooled unless pooling is off). */
    DSLContext db();

    /** A logger named after the task's family. */
    Logger logger();

    /** Reports progress of the whole batch, between 0 and 1. */
    void setProgress(double fraction);

    /** Reports a one-line status, such as "fitting 120 of 500 spectra". */
    void setStatus(String status);

    /**
     * What this worker process's initializers prepared, by type.
     *
     * @throws IllegalStateException if no initializer of this process provided one
     */
    <R> R resource(Class<R> type);

    /** The outputs of {@code member.requires()}, in order, flattened. */
    List<Target> input(T member);

    /**
     * Fails one member, which is recorded failed (or retried, under its retry policy) with
     * {@code why} as its error; the other members are not affected. Failing a member twice
     * keeps the first reason.
     *
     * @throws IllegalArgumentException if {@code member} is not in this batch
     */
    void fail(T member, String why);

    /** Fails one member with what was thrown; see {@link #fail(Task, String)}. */
    void fail(T member, Throwable why);
}
