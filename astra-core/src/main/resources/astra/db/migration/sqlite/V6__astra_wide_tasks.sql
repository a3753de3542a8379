-- A task with many requirements (a wrapper over a fan-out) is wide: its requirements do not
-- each rewrite its row when they finish (one row rewritten once per leaf is a hot row, which on
-- PostgreSQL cannot be HOT-updated and made a 100,000-leaf fan-out take 12 minutes). Instead a
-- claim that finds nothing ready settles it: it scans the task's requirements in id order from
-- done_through (every requirement before it is known done) to the first one not done.
-- The PostgreSQL twin is ../postgresql/V6__astra_wide_tasks.sql: change both together, and
-- AstraTables.java with them.
alter table astra_task add column wide integer not null default 0;
alter table astra_task add column done_through text;
-- The wide tasks a settle looks at; its predicate appears literally in the query.
create index astra_task_wide on astra_task (run_id, task_id)
    where state = 'PENDING' and wide = 1 and unfinished_deps > 0;
