-- db-scheduler's PostgreSQL table, which its jar does not ship. Copied unchanged from the repository
-- kagkarlsson/db-scheduler at tag v16.7.1 (commit 328f53bf85adb153e4fb2d588626ce7c64c2ae45),
-- file db-scheduler/src/test/resources/postgresql_tables.sql (Apache License 2.0).
-- The benchmarks' db-scheduler rows (astra.bench.Peers) run it on each fresh database.

create table scheduled_tasks (
  task_name text not null,
  task_instance text not null,
  task_data bytea,
  execution_time timestamp with time zone not null,
  picked BOOLEAN not null,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures INT,
  last_heartbeat timestamp with time zone,
  version BIGINT not null,
  priority SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- an optimization for users of priority might be to add priority to the execution_time_idx
-- this _might_ save reads as the priority-value is already in the index
-- CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time asc, priority desc);
