-- A task's run_id is no longer checked against astra_run by a foreign key. Astra writes it only
-- from the run it has just started, in that run's own transactions, and never deletes a run; the
-- check cost one lookup and lock of the run's row per task written: a quarter of the time to
-- write a plan's task rows (measured on 200,000 tasks: 2.9-3.2 s without, 3.9-4.6 s with).
-- The SQLite twin is ../sqlite/V7__astra_task_run_unchecked.sql: change both together.
alter table astra_task drop constraint if exists astra_task_run_id_fkey;
