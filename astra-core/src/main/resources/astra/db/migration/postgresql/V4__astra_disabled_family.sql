-- Families switched off by `astra disable`: no worker claims their tasks, which stay pending.
-- The SQLite twin is ../sqlite/V4__astra_disabled_family.sql: change both together, and
-- AstraTables.java with them.
create table astra_disabled_family (
    family      text primary key,
    disabled_at timestamptz not null,
    disabled_by text
);
