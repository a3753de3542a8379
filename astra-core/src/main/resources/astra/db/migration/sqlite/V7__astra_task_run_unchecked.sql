-- The PostgreSQL twin (../postgresql/V7__astra_task_run_unchecked.sql) drops the foreign key from
-- astra_task.run_id to astra_run. SQLite checks foreign keys only with PRAGMA foreign_keys = ON,
-- which Astra never sets, so its declaration stays (SQLite cannot drop one without rebuilding the
-- table) and is never checked: the two databases behave alike. Nothing to change here.
select 1;
