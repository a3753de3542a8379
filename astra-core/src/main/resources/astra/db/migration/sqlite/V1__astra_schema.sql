-- Astra's own tables on SQLite. The PostgreSQL twin is ../postgresql/V1__astra_schema.sql:
-- change both together, and AstraTables.java with them.
-- Times are ISO-8601 text in UTC, as jOOQ writes and reads java.time.Instant on SQLite; that
-- text sorts in time order.

create table astra_run (
    run_id        integer primary key autoincrement,
    started_at    text not null,
    finished_at   text,
    root_task_ids text,
    host          text,
    pid           integer,
    command       text,
    outcome       text
);

create table astra_task (
    task_id         text primary key,
    family          text not null,
    class_name      text not null,
    params          text not null,
    state           text not null
        check (state in ('PENDING', 'RUNNING', 'DONE', 'FAILED', 'MISSING')),
    attempts        integer not null default 0,
    unfinished_deps integer not null default 0,
    priority        integer not null default 0,
    run_id          integer references astra_run (run_id),
    worker          text,
    created_at      text not null,
    updated_at      text not null,
    started_at      text,
    finished_at     text,
    error           text,
    error_detail    text
);

-- The claim query: the ready tasks of a run, best first. Its predicate must appear literally
-- (not as bind values) in the query for the planner to use it.
create index astra_task_ready on astra_task (run_id, priority desc, created_at, task_id)
    where state = 'PENDING' and unfinished_deps = 0;
create index astra_task_run_state on astra_task (run_id, state);
create index astra_task_family on astra_task (family);

-- No foreign keys: a plan may name requirements that are complete and so have no row.
create table astra_edge (
    task_id     text not null,
    requires_id text not null,
    primary key (task_id, requires_id)
);
create index astra_edge_requires on astra_edge (requires_id);

create table astra_event (
    event_id integer primary key autoincrement,
    task_id  text not null,
    run_id   integer,
    at       text not null,
    state    text,
    worker   text,
    message  text
);
create index astra_event_task on astra_event (task_id, event_id);
