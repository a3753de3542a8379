package astra.worker;

import astra.core.db.ClaimedTask;

/** Told when a worker loop starts and ends an attempt: what watchdogs and shutdown hooks need. */
interface AttemptObserver {

    void started(ClaimedTask task);

    void finished(ClaimedTask task);

    AttemptObserver NONE = new AttemptObserver() {
        @Override
        public void started(ClaimedTask task) {}

        @Override
        public void finished(ClaimedTask task) {}
    };
}
