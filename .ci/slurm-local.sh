#!/usr/bin/env bash
# Copied from the team's shared/tools/slurm-local.sh so that CI on a clean clone can start the cluster.
# slurm-local.sh - a throw-away Slurm 22.05 "cluster" on this one host for integration
# tests (Debian 12, run as root, no systemd, no cgroup plugins, everything on 127.0.0.1).
#
#   slurm-local.sh [up]   install packages if missing, write config, start daemons, health check
#   slurm-local.sh install | configure | start | health | status
#   slurm-local.sh stop    stop the daemons this script started (by PID file)
#   slurm-local.sh clean   stop + delete all state, logs and the config files written here
#   slurm-local.sh reset   clean + up
#
# Knobs (environment):
#   LOCAL_SLURM_NODES=1        number of slurmd nodes n1..nN, all on this host (ports 17001..)
#   LOCAL_SLURM_CPUS=$(nproc)  CPUs advertised per node (may exceed the real count)
#   LOCAL_SLURM_ACCOUNTING=1   1: slurmdbd + private MariaDB, so sacct works; 0: no DB (sacct fails,
#                              squeue -t all / scontrol show job keep finished jobs for MinJobAge=300s)
#   LOCAL_SLURM_BASE=/var/spool/slurm-local   state, logs, pid files, DB files
#   LOCAL_SLURM_DB_PORT=3307   private MariaDB TCP port (127.0.0.1 only)
# Config is written to /etc/slurm/slurm.conf (the default path: clients need no SLURM_CONF).
set -euo pipefail

NODES=${LOCAL_SLURM_NODES:-1}
CPUS=${LOCAL_SLURM_CPUS:-$(nproc)}
ACCOUNTING=${LOCAL_SLURM_ACCOUNTING:-1}
BASE=${LOCAL_SLURM_BASE:-/var/spool/slurm-local}
DB_PORT=${LOCAL_SLURM_DB_PORT:-3307}
CONF=/etc/slurm/slurm.conf
DBD_CONF=/etc/slurm/slurmdbd.conf
RUN=$BASE/run LOG=$BASE/log DB=$BASE/db
MUNGE_PID=/run/munge/munged.pid
DB_SOCK=$DB/mysqld.sock

log() { echo "[slurm-local] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"

# alive PIDFILE COMM -> prints pid if the pid in PIDFILE is a live process named COMM
alive() { local p; p=$(cat "$1" 2>/dev/null) || return 1; [ -n "$p" ] || return 1
  [ "$(cat /proc/"$p"/comm 2>/dev/null)" = "$2" ] && echo "$p"; }
wait_for() { local what=$1 secs=$2; shift 2; local i
  for ((i = 0; i < secs * 10; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "timed out after ${secs}s waiting for $what"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_pkgs() {
  local pkgs=(munge slurmctld slurmd slurm-client) missing=() p
  [ "$ACCOUNTING" = 1 ] && pkgs+=(slurmdbd mariadb-server)
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # munge postinst normally creates the key; make sure it exists with the right owner/mode
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key && chmod 0600 /etc/munge/munge.key
}

CONF_CHANGED=0
write_if_changed() { # path owner mode  (content on stdin)
  local tmp; tmp=$(mktemp); cat >"$tmp"
  if ! cmp -s "$tmp" "$1"; then install -o "$2" -g "$2" -m "$3" "$tmp" "$1"; CONF_CHANGED=1; fi
  rm -f "$tmp"; }

configure() {
  local i mem last=$((17000 + NODES))
  install -d -m 0755 "$BASE" "$RUN"
  install -d -o slurm -g slurm -m 0755 "$BASE/ctld" "$LOG"
  for ((i = 1; i <= NODES; i++)); do install -d -m 0755 "$BASE/d-n$i"; done
  mem=$(( ($(free -m | awk '/^Mem:/{print $2}') - 1024) / NODES ))
  local ports=17001; [ "$NODES" -gt 1 ] && ports="17001-$last"
  local nodes=n1; [ "$NODES" -gt 1 ] && nodes="n[1-$NODES]"
  local acct=accounting_storage/none; [ "$ACCOUNTING" = 1 ] && acct=accounting_storage/slurmdbd
  install -d /etc/slurm
  write_if_changed "$CONF" root 0644 <<EOF
# written by slurm-local.sh
ClusterName=local
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=$acct
AccountingStorageHost=localhost
JobCompType=jobcomp/none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=300
StateSaveLocation=$BASE/ctld
SlurmdSpoolDir=$BASE/d-%n
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd-%n.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd-%n.log
SlurmctldPort=6817
NodeName=$nodes NodeHostname=localhost NodeAddr=127.0.0.1 Port=$ports CPUs=$CPUS Sockets=1 CoresPerSocket=$CPUS ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if [ "$ACCOUNTING" = 1 ]; then
    install -d -o mysql -g mysql -m 0750 "$DB"
    write_if_changed "$DBD_CONF" slurm 0600 <<EOF
# written by slurm-local.sh
AuthType=auth/munge
DbdHost=localhost
DbdPort=6819
SlurmUser=slurm
PidFile=$RUN/slurmdbd.pid
LogFile=$LOG/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
EOF
    if [ ! -d "$DB/data/mysql" ]; then
      log "initialising MariaDB datadir $DB/data"
      mariadb-install-db --no-defaults --user=mysql --datadir="$DB/data" --skip-test-db \
        --auth-root-authentication-method=socket --innodb-log-file-size=16M >"$LOG/mariadb-install.log" 2>&1 \
        || die "mariadb-install-db failed, see $LOG/mariadb-install.log"
    fi
  fi
}

start() {
  local i
  if [ "$CONF_CHANGED" = 1 ] && { alive "$RUN/slurmctld.pid" slurmctld || alive "$RUN/slurmdbd.pid" slurmdbd; } >/dev/null; then
    log "config changed: restarting slurm daemons"; stop_slurm
  fi
  if ! alive "$MUNGE_PID" munged >/dev/null; then
    install -d -o munge -g munge -m 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    touch "$RUN/munged.started-by-us"
  fi
  wait_for munged 10 bash -c 'munge -n | unmunge'
  if [ "$ACCOUNTING" = 1 ]; then
    if ! alive "$DB/mysqld.pid" mariadbd >/dev/null; then
      setsid /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$DB/data" --socket="$DB_SOCK" \
        --pid-file="$DB/mysqld.pid" --port="$DB_PORT" --bind-address=127.0.0.1 \
        --innodb-log-file-size=16M --innodb-lock-wait-timeout=900 \
        --log-error="$DB/mariadb.log" </dev/null >/dev/null 2>&1 &
    fi
    wait_for MariaDB 60 mariadb-admin --no-defaults --socket="$DB_SOCK" ping
    mariadb --no-defaults --socket="$DB_SOCK" -uroot -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db;
      CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm';
      CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurm';
      GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1'; GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';"
    alive "$RUN/slurmdbd.pid" slurmdbd >/dev/null || slurmdbd
    wait_for slurmdbd 30 port_open 6819
  fi
  alive "$RUN/slurmctld.pid" slurmctld >/dev/null || slurmctld
  wait_for slurmctld 30 bash -c 'scontrol ping | grep -q UP'
  for ((i = 1; i <= NODES; i++)); do
    alive "$RUN/slurmd-n$i.pid" slurmd >/dev/null || slurmd -N "n$i"
  done
  # all nodes registered and usable (idle/mixed/allocated), none down/drained/unknown
  wait_for "nodes to become idle" 30 bash -c \
    '[ "$(sinfo -h -N -o "%t" | grep -c -E "^(idle|mix|alloc)$")" -eq '"$NODES"' ]'
  log "up: $(sinfo -h -o '%P %a %D %t %N' | tr '\n' ' ')"
}

health() {
  local dir j out
  dir=$(mktemp -d -t slurm-health.XXXXXX); chmod 0777 "$dir"
  scontrol ping | grep -q UP || die "slurmctld not responding"
  sinfo
  # (sbatch --wait polls every 2+ s; poll scontrol ourselves instead)
  j=$(sbatch --parsable -o "$dir/%j.out" -J health --wrap 'echo ok from $SLURMD_NODENAME')
  wait_for "job $j" 60 bash -c "scontrol show job -o $j | grep -q -E 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY)'"
  scontrol show job -o "$j" | grep -q JobState=COMPLETED || die "health job $j: $(scontrol show job -o "$j")"
  out=$(cat "$dir/$j.out"); rm -rf "$dir"
  [[ $out == "ok from n"* ]] || die "unexpected job output: $out"
  log "job $j: $out"
  if [ "$ACCOUNTING" = 1 ]; then
    wait_for "job $j in sacct" 15 bash -c "sacct -n -X -P -j $j -o State | grep -q COMPLETED"
    log "sacct: $(sacct -n -X -P -j "$j" -o JobID,State,ExitCode)"
  fi
  log "healthy"
}

# stop_all PIDFILE:COMM...: SIGTERM all of them at once, wait up to 20 s, then SIGKILL stragglers
# (no zombie test: a daemon whose main thread exited first shows "Z" while its other threads still run)
running() { [ -d "/proc/$1" ]; }
stop_all() { local pids=() item p i left
  for item in "$@"; do
    p=$(alive "${item%%:*}" "${item#*:}") && { kill "$p" 2>/dev/null || true; pids+=("$p"); }
  done
  for ((i = 0; i < 200; i++)); do
    left=0; for p in "${pids[@]}"; do running "$p" && left=1; done
    [ "$left" = 0 ] && return 0; sleep 0.1
  done
  for p in "${pids[@]}"; do running "$p" && { log "pid $p ignored SIGTERM, killing"; kill -9 "$p" || true; }; done
  return 0; }
stop_slurm() { local f nodes=()
  for f in "$RUN"/slurmd-*.pid; do [ -e "$f" ] && nodes+=("$f:slurmd"); done
  stop_all "${nodes[@]}" "$RUN/slurmctld.pid:slurmctld" "$RUN/slurmdbd.pid:slurmdbd"; }
stop() { local m=()
  stop_slurm
  [ -e "$RUN/munged.started-by-us" ] && m=("$MUNGE_PID:munged")  # never stop a munged we did not start
  stop_all "$DB/mysqld.pid:mariadbd" "${m[@]}"
  rm -f "$RUN/munged.started-by-us"
  log "stopped"; }

status() { local f n
  for f in "$MUNGE_PID:munged" "$DB/mysqld.pid:mariadbd" "$RUN/slurmdbd.pid:slurmdbd" \
           "$RUN/slurmctld.pid:slurmctld" "$RUN"/slurmd-*.pid; do
    n=${f#*:}; [ "$n" = "$f" ] && n=slurmd; f=${f%%:*}
    printf '%-10s %s\n' "$n" "$(alive "$f" "$n" || echo '-')"
  done; }

clean() { stop; rm -rf "$BASE"; rm -f "$CONF" "$DBD_CONF"; log "state removed"; }

case "${1:-up}" in
  up)        install_pkgs; configure; start; health ;;
  install)   install_pkgs ;;
  configure) configure ;;
  start)     configure; start ;;
  health)    health ;;
  status)    status ;;
  stop)      stop ;;
  clean)     clean ;;
  reset)     clean; install_pkgs; configure; start; health ;;
  *) die "usage: $0 [up|install|configure|start|health|status|stop|clean|reset]" ;;
esac
