-- Worker processes, and the heartbeat of claimed tasks. The SQLite twin is
-- ../sqlite/V2__astra_workers.sql: change both together, and AstraTables.java with them.

create table astra_worker (
    worker_id      text primary key,
    run_id         bigint references astra_run (run_id),
    host           text,
    pid            bigint,
    started_at     timestamptz not null,
    init_millis    bigint,
    connects       integer,
    last_heartbeat timestamptz,
    tasks_run      integer not null default 0,
    stopped_at     timestamptz,
    stop_reason    text
);
create index astra_worker_run on astra_worker (run_id);

-- Null until the task is claimed; rows claimed before this migration have none, and their
-- started_at stands in for it. Not indexed, so a heartbeat can update the row in place (HOT).
alter table astra_task add column heartbeat_at timestamptz;

-- The running tasks only, by worker: what heartbeats, a dead worker's clean-up and the search
-- for stale claims read. Small, since at most one row per live worker is in it.
create index astra_task_running on astra_task (worker) where state = 'RUNNING';
