#!/usr/bin/env bash
# A second PostgreSQL cluster, "faults" on port 5433, that the fault tests may stop and restart
# (the machine's cluster on 5432 is never touched). Idempotent: creates the cluster the first
# time (trust authentication on 127.0.0.1, a database "test"), then makes sure it runs.
set -euo pipefail
version="${PG_FAULTS_VERSION:-$(ls /etc/postgresql | sort -n | tail -n 1)}"
port="${PG_FAULTS_PORT:-5433}"
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/faults"; then
  pg_createcluster "$version" faults --port "$port" -- --auth=trust >/dev/null
fi
conf="/etc/postgresql/$version/faults"
# Fast restarts and small memory: this cluster only ever holds test databases.
cat > "$conf/conf.d/astra-faults.conf" <<CONF
listen_addresses = '127.0.0.1'
max_connections = 100
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
if ! pg_isready -h 127.0.0.1 -p "$port" -q 2>/dev/null; then
  pg_ctlcluster "$version" faults start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$port" -q && break; sleep 1; done
fi
psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database test"
echo "$version/faults"
