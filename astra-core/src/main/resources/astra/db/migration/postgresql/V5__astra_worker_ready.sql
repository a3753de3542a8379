-- How long a worker took to be ready: from its process's start (spawn) to its initializers done
-- and its registration, in milliseconds; null for workers registered before this migration.
-- The SQLite twin is ../sqlite/V5__astra_worker_ready.sql: change both together, and
-- AstraTables.java with them.
alter table astra_worker add column ready_millis bigint;
