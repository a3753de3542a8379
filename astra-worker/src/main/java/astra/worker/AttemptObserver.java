package astra.worker;

import astra.core.store.ClaimedTask;
import java.util.List;

/** Told when a worker loop starts and ends an attempt: what watchdogs and shutdown hooks need. */
public interface AttemptObserver {

    /** The tasks of one attempt: one, or the members of a batch, run as one call. */
    void started(List<ClaimedTask> tasks);

    void finished(List<ClaimedTask> tasks);

    AttemptObserver NONE = new AttemptObserver() {
        @Override
        public void started(List<ClaimedTask> tasks) {}

        @Override
        public void finished(List<ClaimedTask> tasks) {}
    };
}
