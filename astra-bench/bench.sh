#!/usr/bin/env bash
# Astra's benchmarks (issue 6): runs real `astra run` processes on synthetic graphs and prints a
# markdown table (also written to bench-results.md). Builds the checkout first if it is not built.
#
#   astra-bench/bench.sh              the full table (takes long: run it on an otherwise idle machine)
#   astra-bench/bench.sh --smoke      every case once with tiny N (about a minute)
#   astra-bench/bench.sh --only sched-bulk --runs 5
#   astra-bench/bench.sh --only peers --runs 1    Astra beside db-scheduler, pgbench (and Luigi: LUIGI_SRC)
#   astra-bench/bench.sh --only ui --runs 1       astra ui on a million-task run (PostgreSQL, Chromium)
#   astra-bench/bench.sh --help       all options
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
lib="$root/astra-cli/target/lib"
bench="$root/astra-bench/target/astra-bench.jar"
# target/peer-lib holds db-scheduler's jar, for the peer rows (--only peers).
# target/ui-lib holds Selenium, for the web UI's browser rows (--only ui).
if [ ! -f "$lib/astra-cli.jar" ] || [ ! -f "$bench" ] || [ ! -d "$root/astra-bench/target/peer-lib" ] \
    || [ ! -d "$root/astra-bench/target/ui-lib" ]; then
  echo "bench: building $root first (mvn -B -ntp -q package -DskipTests)" >&2
  (cd "$root" && mvn -B -ntp -q package -DskipTests)
fi
exec "${JAVA:-java}" -cp "$lib/*:$bench:$root/astra-bench/target/ui-lib/*" astra.bench.Benchmarks --root "$root" "$@"
