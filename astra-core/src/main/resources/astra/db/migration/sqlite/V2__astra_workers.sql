-- Worker processes, and the heartbeat of claimed tasks. The PostgreSQL twin is
-- ../postgresql/V2__astra_workers.sql: change both together, and AstraTables.java with them.

create table astra_worker (
    worker_id      text primary key,
    run_id         integer references astra_run (run_id),
    host           text,
    pid            integer,
    started_at     text not null,
    init_millis    integer,
    connects       integer,
    last_heartbeat text,
    tasks_run      integer not null default 0,
    stopped_at     text,
    stop_reason    text
);
create index astra_worker_run on astra_worker (run_id);

-- Null until the task is claimed; rows claimed before this migration have none, and their
-- started_at stands in for it.
alter table astra_task add column heartbeat_at text;

-- The running tasks only, by worker: what heartbeats, a dead worker's clean-up and the search
-- for stale claims read.
create index astra_task_running on astra_task (worker) where state = 'RUNNING';
