#!/usr/bin/env bash
# A pg_auto_failover formation on this one machine, for failover tests: a monitor and two Postgres nodes in synchronous
# replication, each in its own folder under DIR, on its own port, and in a process group of its own so that a test
# can SIGKILL one node as a crash would. See ha/README.md.
#
#   ha/cluster.sh start   DIR [BASE_PORT] [--dbname NAME]  monitor on BASE_PORT (6500), node1 on +1, node2 on +2;
#                                                          waits for a primary and a secondary. On a DIR that holds
#                                                          a formation, restarts whatever of it is down.
#   ha/cluster.sh primary DIR                              port of the current primary, as the monitor sees it;
#                                                          waits for one while the nodes change states
#   ha/cluster.sh state   DIR                              pg_autoctl show state
#   ha/cluster.sh kill    DIR node1|node2|primary|secondary|monitor  SIGKILL of that node: pg_autoctl, postmaster,
#                                                          backends
#   ha/cluster.sh switchover DIR                           the primary demoted, the standby promoted; waits until
#                                                          the old primary is its standby
#   ha/cluster.sh async   DIR / sync DIR                   standbys out of / back into the commit quorum
#   ha/cluster.sh stop    DIR                              stops everything, keeps DIR
#   ha/cluster.sh destroy DIR                              stops everything, removes DIR
#
# Environment: FAST_FAILOVER=1 (default; 0 for pg_auto_failover's own timings), HA_TIMEOUT=120 (seconds start may
# take), PG_BINDIR=/usr/lib/postgresql/15/bin. Run as root (or as postgres): Postgres and pg_autoctl refuse root, so
# they run as postgres, with HOME and XDG folders inside DIR so that nothing touches postgres' real home.
set -euo pipefail
umask 022 # parents made by mkdir -p must stay searchable by postgres

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
FAST_FAILOVER=${FAST_FAILOVER:-1}
HA_TIMEOUT=${HA_TIMEOUT:-120}
NODES=(node1 node2)
# The states in which a node takes writes (or is about to, in a settled state).
PRIMARY_STATES="'single','wait_primary','primary','join_primary','apply_settings'"

# Failover tuning (FAST_FAILOVER=1), on the monitor, in ms; pg_auto_failover's defaults in parentheses. A primary is
# failed over once its keeper has not reported for node_considered_unhealthy_timeout AND the monitor's health checks
# failed; the monitor then waits primary_demote_timeout for the old primary to demote itself before it promotes.
# Measured on 2 busy cores: a SIGKILLed primary is replaced in 5 to 6 s (51 s with the defaults).
FAST_MONITOR_SETTINGS=(
  health_check_period=1000               # between two health-check rounds (5000)
  health_check_timeout=1000              # a connection attempt slower than this failed (5000): local, it never is
  health_check_max_retries=1             # failed attempts before the node is marked bad: 1 + this (2)
  health_check_retry_delay=500           # between those attempts (2000)
  node_considered_unhealthy_timeout=3000 # keeper silence that makes a bad node unhealthy: 3 missed reports (20000)
  primary_demote_timeout=2000            # wait for the old primary to demote before promoting (30000)
  startup_grace_period=2000              # after the monitor starts, before its health checks are trusted (10000)
)
# Keeper side, in seconds (20): a primary that reaches neither the monitor nor its standby demotes itself after this,
# so that a partitioned old primary is read-only before the monitor (about 5 s, above) promotes the other node. The
# keeper's other timeout.* settings do not shorten detection: it reports every second whatever they say, and
# prepare_promotion_* are not used by pg_autoctl 2.0.
FAST_NETWORK_PARTITION_TIMEOUT=3

# Three servers on one machine: pg_auto_failover sizes each for the whole of its RAM (shared_buffers a quarter of it).
# Dynamic shared memory goes to files in PGDATA, not /dev/shm, where a SIGKILLed server would leave it behind.
# postgresql.auto.conf is read last, so these win over pg_auto_failover's own file; ALTER SYSTEM keeps them.
PG_SETTINGS="shared_buffers = '128MB'
effective_cache_size = '1GB'
maintenance_work_mem = '64MB'
work_mem = '4MB'
dynamic_shared_memory_type = 'mmap'"

die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '6,18s/^# \{0,1\}//p' "$0" >&2; exit 2; }

# setpriv execs (no fork, no new session, unlike su and runuser, which fork and may setsid), so a node started
# through it keeps the pid, and process group, that setsid gave it.
if [ "$(id -u)" -eq 0 ]; then AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --)
elif [ "$(id -un)" = postgres ]; then AS_PG=()
else die "run as root or as postgres"; fi

# set_dir DIR: DIR (absolute, as pg_autoctl keys its files by PGDATA's path) and the clean environment of every
# pg_autoctl and psql run. PG_REGRESS_SOCK_DIR makes pg_autoctl start Postgres with -k, so that even the unix sockets
# are in DIR rather than in the system's /var/run/postgresql (where a SIGKILL would leave them).
set_dir() {
  DIR=$(realpath -m -- "$1")
  [ "$DIR" != / ] || die "refusing / as DIR"
  PG_ENV=(env -i PATH="$PG_BINDIR:/usr/bin:/bin" LANG=C.UTF-8 HOME="$DIR" XDG_CONFIG_HOME="$DIR/xdg/config"
    XDG_DATA_HOME="$DIR/xdg/data" XDG_RUNTIME_DIR="$DIR/xdg/run" PG_REGRESS_SOCK_DIR="$DIR/sock" PGHOST="$DIR/sock")
  if [ -f "$DIR/cluster.conf" ]; then
    BASE_PORT=$(sed -n 's/^base_port=//p' "$DIR/cluster.conf")
    DBNAME=$(sed -n 's/^dbname=//p' "$DIR/cluster.conf")
  fi
}
need_formation() { [ -f "$DIR/cluster.conf" ] || die "no formation in $DIR (see: $0 start)"; }

# as_pg CMD...: CMD as postgres, in DIR (a caller's cwd such as /root is not readable by postgres).
as_pg() { (cd "$DIR" && "${AS_PG[@]}" "${PG_ENV[@]}" "$@"); }
port_of() { case $1 in monitor) echo "$BASE_PORT" ;; node1) echo $((BASE_PORT + 1)) ;; node2) echo $((BASE_PORT + 2)) ;; esac; }
# sql PORT DB SQL: one value per line. Over TCP, trusted from 127.0.0.1 like the tests' JDBC connections.
sql() { as_pg psql -X -qtA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d "$2" -c "$3"; }
monitor_sql() { sql "$BASE_PORT" pg_auto_failover "$1"; }

# group_of NAME: the node's process group id (= pid of its pg_autoctl run, = its session id), if anything of it still
# runs; zombies do not count.
group_of() {
  local pgid
  pgid=$(cat "$DIR/$1.pid" 2>/dev/null) || return 1
  [ -n "$pgid" ] && ps -o stat= --sid "$pgid" 2>/dev/null | grep -qv '^Z' && echo "$pgid"
}

# launch NAME: `pg_autoctl run` in the background in a session, hence a process group, of its own (setsid), its
# output in NAME.log, its pid (the group's id) in NAME.pid. Every process on the way execs the next (no shell is left
# waiting), and none holds our stdout or stderr, so that callers reading our output to its end (a Java
# ProcessBuilder, $(...)) are not kept waiting.
launch() {
  local name=$1
  rm -f "$DIR/$name.pid"
  EXPECTED+=("$name")
  (cd "$DIR" && exec setsid "${AS_PG[@]}" "${PG_ENV[@]}" sh -c 'echo $$ > "$0"; exec pg_autoctl run --pgdata "$1"' \
    "$DIR/$name.pid" "$DIR/$name") >> "$DIR/$name.log" 2>&1 < /dev/null &
  local i
  for i in $(seq 50); do [ -s "$DIR/$name.pid" ] && return 0; sleep 0.1; done
  die "$name did not start, see $DIR/$name.log"
}

# kill_node NAME: SIGKILL of the node's process group, and of its postmaster's children, which Postgres puts each in
# a session of its own: the postmaster is frozen first so that it forks none after they are listed.
kill_node() {
  local name=$1 pgid pm kids=() i
  pgid=$(group_of "$name") || return 0
  pm=$(head -n 1 "$DIR/$name/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pm" ] && [ "$(ps -o pgid= -p "$pm" | tr -d ' ')" = "$pgid" ]; then
    kill -STOP "$pm" 2>/dev/null || true
    read -ra kids <<< "$(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
  fi
  kill -KILL -- "-$pgid" "${kids[@]}" 2>/dev/null || true
  for i in $(seq 50); do group_of "$name" > /dev/null || return 0; sleep 0.1; done
  die "$name (process group $pgid) survived SIGKILL"
}

# stop_all: SIGTERM to each pg_autoctl supervisor (what `pg_autoctl stop` sends), which stops its Postgres (fast
# mode); SIGKILL what is left after 30 s. The monitor first: while it runs, a node whose keeper reports Postgres
# stopped is failed over at once, so that the formation would come back with its roles swapped.
stop_all() {
  local name pgid
  for name in monitor "${NODES[@]}"; do
    if pgid=$(group_of "$name"); then kill -TERM "$pgid" 2>/dev/null || true; fi
    [ "$name" != monitor ] || stop_wait monitor
  done
  for name in "${NODES[@]}"; do stop_wait "$name"; done
}
stop_wait() {
  local i
  for i in $(seq 300); do group_of "$1" > /dev/null || return 0; sleep 0.1; done
  kill_node "$1"
}

# cleanup_ipc NAME: the kernel objects a SIGKILL leaves behind. pg_autoctl's SysV semaphore (its id on line 5 of its
# stale pidfile) leaks for good: pg_autoctl 2.0 deletes a stale pidfile before reading the id from it. The
# postmaster's SysV shared memory segment (line 7 of its stale postmaster.pid) the next start of that node removes,
# but it outlives a destroyed DIR.
cleanup_ipc() {
  local name=$1 pidfile="$DIR/xdg/run/pg_autoctl$DIR/$1/pg_autoctl.pid" pid sem key shmid
  if [ -f "$pidfile" ]; then
    pid=$(sed -n 1p "$pidfile") sem=$(sed -n 5p "$pidfile")
    if ! kill -0 "$pid" 2>/dev/null && [ -n "$sem" ]; then ipcrm -s "$sem" 2>/dev/null || true; fi
  fi
  if [ -f "$DIR/$name/postmaster.pid" ]; then
    read -r key shmid <<< "$(sed -n 7p "$DIR/$name/postmaster.pid")"
    if [ -n "${shmid:-}" ] && ipcs -m -i "$shmid" 2> /dev/null | grep -q 'nattch=0'; then
      ipcrm -m "$shmid" 2>/dev/null || true
    fi
  fi
}

# tune_monitor: FAST_FAILOVER's settings on the monitor (ALTER SYSTEM + reload: they are all reloadable), or back to
# pg_auto_failover's defaults.
tune_monitor() {
  local s args=()
  for s in "${FAST_MONITOR_SETTINGS[@]}"; do
    if [ "$FAST_FAILOVER" = 1 ]; then args+=(-c "alter system set pgautofailover.${s%%=*} = ${s#*=}")
    else args+=(-c "alter system reset pgautofailover.${s%%=*}"); fi
  done
  as_pg psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BASE_PORT" -U postgres -d pg_auto_failover "${args[@]}" \
    -c "select pg_reload_conf()" > /dev/null
}

# prepare NAME: after `pg_autoctl create`, before `run`: our Postgres settings and the keeper's timeout.
prepare() {
  local name=$1
  grep -q '^# ha/cluster.sh' "$DIR/$name/postgresql.auto.conf" ||
    printf '# ha/cluster.sh\n%s\n' "$PG_SETTINGS" | as_pg tee -a "$DIR/$name/postgresql.auto.conf" > /dev/null
  [ "$name" = monitor ] && return 0
  as_pg pg_autoctl config set --pgdata "$DIR/$name" timeout.network_partition_timeout \
    "$([ "$FAST_FAILOVER" = 1 ] && echo "$FAST_NETWORK_PARTITION_TIMEOUT" || echo 20)" >> "$DIR/$name.log" 2>&1 ||
    fail_start "pg_autoctl config set failed for $name"
}

# fail_start MESSAGE: the monitor's view and the logs' tails, then everything stopped (DIR kept, for a look).
fail_start() {
  local name
  printf 'cluster.sh: %s\n' "$1" >&2
  as_pg pg_autoctl show state --pgdata "$DIR/monitor" >&2 2>/dev/null || true
  for name in monitor "${NODES[@]}"; do
    [ -f "$DIR/$name.log" ] && { printf '\n--- tail of %s\n' "$DIR/$name.log"; tail -n 25 "$DIR/$name.log"; } >&2
  done
  stop_all
  die "start failed; the formation is stopped, its files kept in $DIR ($0 destroy $DIR removes them)"
}

# create NAME ARGS...: `pg_autoctl create ARGS` for NAME (which leaves nothing running), within the time left.
create() {
  local name=$1 left=$((DEADLINE - SECONDS)); shift
  [ "$left" -gt 0 ] || fail_start "timed out (HA_TIMEOUT=${HA_TIMEOUT}s) before creating $name"
  as_pg timeout "$left" pg_autoctl create "$@" --pgdata "$DIR/$name" --pgport "$(port_of "$name")" \
    --hostname 127.0.0.1 --auth trust --no-ssl --pgctl "$PG_BINDIR/pg_ctl" >> "$DIR/$name.log" 2>&1 ||
    fail_start "pg_autoctl create $1 for $name failed"
  prepare "$name"
}

# wait_for WHAT SQL: until the monitor answers SQL with t, within the time left; fails if a node that should run
# (in EXPECTED: launched, or found running) died.
EXPECTED=()
wait_for() {
  local what=$1 query=$2 name
  until [ "$(monitor_sql "$query" 2>/dev/null)" = t ]; do
    for name in "${EXPECTED[@]}"; do
      group_of "$name" > /dev/null || fail_start "$name died while waiting for $what"
    done
    [ "$SECONDS" -lt "$DEADLINE" ] || fail_start "timed out (HA_TIMEOUT=${HA_TIMEOUT}s) waiting for $what"
    sleep 0.2
  done
}

cmd_start() {
  local port=6500 dbname= started=$SECONDS name
  [ $# -ge 1 ] || usage
  set_dir "$1"; shift
  while [ $# -gt 0 ]; do
    case $1 in
      --dbname) [ $# -ge 2 ] || usage; dbname=$2; shift 2 ;;
      *[!0-9]* | '') usage ;;
      *) port=$1; shift ;;
    esac
  done
  DEADLINE=$((SECONDS + HA_TIMEOUT))

  local fresh=1
  if [ -f "$DIR/cluster.conf" ]; then
    fresh=0
    [ "$port" = 6500 ] || [ "$port" = "$BASE_PORT" ] || die "$DIR holds a formation on port $BASE_PORT, not $port"
  else
    [ "$port" -ge 1024 ] && [ "$port" -le 65533 ] || die "base port $port out of 1024..65533"
    BASE_PORT=$port DBNAME=${dbname:-postgres}
    # Everything checked before anything is made, so that a failed start leaves nothing behind.
    local up=$DIR
    while [ ! -e "$up" ]; do up=$(dirname "$up"); done
    "${AS_PG[@]}" test -d "$up" -a -x "$up" ||
      die "user postgres cannot reach $up: it or a parent folder (such as /root) is not searchable by it; use /tmp/..."
    [ ! -e "$DIR" ] || [ -z "$(ls -A "$DIR")" ] || die "$DIR is neither empty nor a formation made by $0"
    # A unix socket's path is at most 107 bytes.
    [ ${#DIR} -le 80 ] || die "$DIR is too long for Postgres' unix sockets in it (80 characters at most)"
    # Another server on one of our ports would be taken for ours (a foreign monitor!): refuse.
    for name in monitor "${NODES[@]}"; do
      ! (exec 3<> "/dev/tcp/127.0.0.1/$(port_of "$name")") 2>/dev/null ||
        die "port $(port_of "$name") (for $name) is already in use"
    done
    mkdir -p "$DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    as_pg mkdir -p -m 700 xdg/config xdg/data xdg/run sock
    as_pg touch monitor.log node1.log node2.log # postgres' like the rest, though we write them
    printf 'base_port=%s\ndbname=%s\n' "$BASE_PORT" "$DBNAME" | as_pg tee "$DIR/cluster.conf" > /dev/null
  fi

  local monitor_uri="postgres://autoctl_node@127.0.0.1:$BASE_PORT/pg_auto_failover?sslmode=disable"
  local node_args=(postgres --monitor "$monitor_uri" --listen 127.0.0.1)
  [ "$DBNAME" = postgres ] || node_args+=(--dbname "$DBNAME")

  if [ "$fresh" = 1 ]; then
    create monitor monitor
    # pg_auto_failover has its monitor listen on '*': loopback is enough here.
    as_pg pg_autoctl config set --pgdata "$DIR/monitor" postgresql.listen_addresses 127.0.0.1 \
      >> "$DIR/monitor.log" 2>&1 || fail_start "pg_autoctl config set failed for monitor"
  fi
  for name in monitor "${NODES[@]}"; do ! group_of "$name" > /dev/null || EXPECTED+=("$name"); done
  group_of monitor > /dev/null || { cleanup_ipc monitor; launch monitor; }
  wait_for "the monitor" "select count(*) >= 0 from pgautofailover.node"
  tune_monitor

  if [ "$fresh" = 1 ]; then
    # node1 first, running alone ("single"), so that it is the primary; node2's creation then clones it.
    create node1 "${node_args[@]}" --name node1
    launch node1
    wait_for "node1 to run as single" \
      "select count(*) = 1 from pgautofailover.node where nodename = 'node1' and reportedstate = 'single'"
    create node2 "${node_args[@]}" --name node2
    launch node2
  else
    for name in "${NODES[@]}"; do
      group_of "$name" > /dev/null || cleanup_ipc "$name" # before any pg_autoctl deletes the stale pidfile
      prepare "$name"                                     # FAST_FAILOVER may have changed
      group_of "$name" > /dev/null || launch "$name"
    done
  fi
  wait_for "a primary and a secondary" "$(settled_sql)"

  as_pg pg_autoctl show state --pgdata "$DIR/monitor"
  echo "up in $((SECONDS - started)) s; FAST_FAILOVER=$FAST_FAILOVER; primary on port $(primary_port);" \
    "jdbc:postgresql://127.0.0.1:$(port_of node1),127.0.0.1:$(port_of node2)/$DBNAME?targetServerType=primary"
}

# settled_sql [CONDITION]: true once one node is primary and the other secondary, both as reported and as the monitor's
# goal; CONDITION further restricts the primary.
settled_sql() {
  echo "select count(*) filter (where reportedstate = 'primary' and goalstate = 'primary' ${1:-}) = 1
            and count(*) filter (where reportedstate = 'secondary' and goalstate = 'secondary') = 1
          from pgautofailover.node"
}

# primary_port: the port of the node in a writable state that it has reached (a SIGKILLed primary stays "primary"
# until the monitor finds it unhealthy).
primary_port() {
  local port
  port=$(monitor_sql "select nodeport from pgautofailover.node where reportedstate = goalstate
                      and reportedstate in ($PRIMARY_STATES) order by nodeid limit 1")
  [ -n "$port" ] || { echo "cluster.sh: no primary at the moment" >&2; return 1; }
  echo "$port"
}

# cmd_primary DIR: primary_port, once there is a primary: a node moving between two states (as after both nodes were
# restarted) is in neither for a moment; waits up to HA_TIMEOUT.
cmd_primary() {
  [ $# -eq 1 ] || usage
  set_dir "$1"; need_formation
  DEADLINE=$((SECONDS + HA_TIMEOUT))
  until primary_port 2> /dev/null; do
    [ "$SECONDS" -lt "$DEADLINE" ] || die "no primary within HA_TIMEOUT=${HA_TIMEOUT}s"
    sleep 0.5
  done
}

# node_in STATES: the name of the node in one of those states.
node_in() {
  monitor_sql "select nodename from pgautofailover.node where reportedstate = goalstate
               and reportedstate in ($1) order by nodeid limit 1"
}

cmd_kill() {
  [ $# -eq 2 ] || usage
  set_dir "$1"; need_formation
  local name=$2
  case $name in
    node1 | node2 | monitor) ;;
    primary) name=$(node_in "$PRIMARY_STATES") ;;
    secondary) name=$(node_in "'secondary'") ;;
    *) usage ;;
  esac
  [ -n "$name" ] || die "no $2 at the moment"
  group_of "$name" > /dev/null || die "$name is not running"
  kill_node "$name"
  echo "$name (port $(port_of "$name")) killed"
}

# cmd_quorum true|false DIR: replication-quorum of both nodes, so that it survives a failover; with false, the primary
# gets synchronous_standby_names = '' and its commits no longer wait for the standby. Through the monitor's SQL: the
# `pg_autoctl set node replication-quorum` of 2.0 applies it too, but then logs errors (get_nodes with a garbage
# group id).
cmd_quorum() {
  [ $# -eq 2 ] || usage
  set_dir "$2"; need_formation
  local name i
  for name in "${NODES[@]}"; do
    monitor_sql "select pgautofailover.set_node_replication_quorum('default', '$name', $1)" > /dev/null
    # the primary applies it (apply_settings), one change at a time
    for i in $(seq 300); do
      [ "$(monitor_sql "select count(*) = 0 from pgautofailover.node
                        where 'apply_settings' in (goalstate, reportedstate)")" = t ] && break
      sleep 0.1
    done
  done
  local port; port=$(primary_port)
  echo "replication-quorum $1; synchronous_standby_names on the primary (port $port):" \
    "'$(sql "$port" postgres "show synchronous_standby_names")'"
}

# cmd_switchover DIR: the primary demoted and the standby promoted, then a wait until the roles have settled the other
# way round. This is what `pg_autoctl perform switchover` asks of the monitor (perform_failover, with the primary
# healthy), without that command's own wait, 60 s, which a loaded machine can outlast while the demoted node restarts
# as the standby and catches up. The monitor refuses while a node is not settled: the request is repeated until it is
# accepted, and only while the old primary still is one, so that a slow switchover is never asked for twice.
cmd_switchover() {
  [ $# -eq 1 ] || usage
  set_dir "$1"; need_formation
  DEADLINE=$((SECONDS + HA_TIMEOUT))
  # The primary once the formation has settled: just after a restart it may still be on its way (wait_primary).
  local before=
  until before=$(monitor_sql "select nodeport from pgautofailover.node
                              where reportedstate = 'primary' and goalstate = 'primary' and ($(settled_sql))") &&
    [ -n "$before" ]; do
    [ "$SECONDS" -lt "$DEADLINE" ] || die "no settled primary and standby within HA_TIMEOUT=${HA_TIMEOUT}s"
    sleep 0.2
  done
  as_pg touch switchover.log
  until [ "$(monitor_sql "$(settled_sql "and nodeport <> $before")")" = t ]; do
    [ "$SECONDS" -lt "$DEADLINE" ] || { tail -n 20 "$DIR/switchover.log" >&2
      die "the roles did not change within HA_TIMEOUT=${HA_TIMEOUT}s (see $DIR/switchover.log)"; }
    if [ "$(monitor_sql "$(settled_sql "and nodeport = $before")")" = t ]; then
      monitor_sql "select pgautofailover.perform_failover()" >> "$DIR/switchover.log" 2>&1 || true
    fi
    sleep 0.5
  done
  echo "primary on port $(primary_port), was $before"
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  set_dir "$1"; need_formation
  stop_all
}

cmd_destroy() {
  [ $# -eq 1 ] || usage
  set_dir "$1"
  [ -e "$DIR" ] || return 0
  need_formation # never rm -rf a folder we did not make
  stop_all
  local name
  for name in monitor "${NODES[@]}"; do cleanup_ipc "$name"; done
  rm -rf -- "$DIR"
}

[ $# -ge 1 ] || usage
command=$1; shift
case $command in
  start) cmd_start "$@" ;;
  primary) cmd_primary "$@" ;;
  state) [ $# -eq 1 ] || usage; set_dir "$1"; need_formation; as_pg pg_autoctl show state --pgdata "$DIR/monitor" ;;
  kill) cmd_kill "$@" ;;
  switchover) cmd_switchover "$@" ;;
  async) cmd_quorum false "$@" ;;
  sync) cmd_quorum true "$@" ;;
  stop) cmd_stop "$@" ;;
  destroy) cmd_destroy "$@" ;;
  *) usage ;;
esac
