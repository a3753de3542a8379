-- Scheduling policy: retries, resources, batches. The SQLite twin is ../sqlite/V3__astra_policy.sql:
-- change both together, and AstraTables.java with them.

-- How many times a failed attempt may be retried, and how long a retry waits: fixed when the task
-- is planned, so whoever ends a claim (its worker, a run cleaning up after a dead one) applies the
-- policy of the run that planned it.
alter table astra_task add column retries integer not null default 0;
alter table astra_task add column retry_delay_ms bigint not null default 0;
-- A task waiting to be retried is not claimed before this time.
alter table astra_task add column not_before timestamptz;
-- Ready tasks of one batchable family that differ only in batchable parameters share a key and
-- are claimed together, up to batch_size of them.
alter table astra_task add column batch_key text;
alter table astra_task add column batch_size integer not null default 1;

-- false: once a task of the run has failed for good, the run starts no other ([core] keep_going).
alter table astra_run add column keep_going boolean not null default true;

-- Resources shared by every run on this database: running tasks never use more than capacity.
create table astra_resource (
    name       text primary key,
    capacity   integer not null check (capacity >= 0),
    updated_at timestamptz not null
);

-- What each task uses while it runs.
create table astra_task_resource (
    task_id  text not null,
    resource text not null,
    amount   integer not null check (amount > 0),
    primary key (task_id, resource)
);

-- The companions of a claimed batch: ready tasks with its key.
create index astra_task_batch on astra_task (run_id, batch_key)
    where state = 'PENDING' and unfinished_deps = 0 and batch_key is not null;
