#!/usr/bin/env bash
# Many instances without failover: 8 instances of the packaged service on one PostgreSQL, first connecting directly,
# then through PgBouncer in transaction mode, each under the same wrk load, hot spot and uniform:
#   bench/pgbouncer.sh [APP_DIR]    (APP_DIR: a packaged quarkus-app, target/quarkus-app by default)
#   INSTANCES=8 POOL=10 BOUNCER_POOL=20 WARMUP=180 SECONDS_PER_RUN=15 STRATEGIES="pessimistic batched" by default,
#   JAVA_OPTS="-Xmx256m -XX:TieredStopAtLevel=1" (eight JVMs on two cores: C2 would still be compiling after minutes)
# The connection budget: INSTANCES x POOL client connections (80); directly, each is a PostgreSQL backend; through
# PgBouncer they share BOUNCER_POOL server connections (20), and max_client_conn (200) stays above INSTANCES x POOL,
# default_pool_size + reserve below max_connections (100, Debian's default). Per run: transfers/s (201s, summed over
# the instances' wrk), the worst instance's p99, CPU per transfer of the instances (and of PgBouncer), and whether
# the ledger holds every 201 counted (and besides at most the requests still in flight when wrk stopped). Behind a
# transaction pooler a session setting reaches only the server connection it ran on, so the lock timeout is set on the
# role (ALTER ROLE ... SET lock_timeout), as docs/operations.md says a deployment must. Not a test: nothing is asserted. Needs wrk, pgbouncer and a local PostgreSQL with pgbench.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_DIR=${1:-target/quarkus-app}
INSTANCES=${INSTANCES:-8}
POOL=${POOL:-10}
BOUNCER_POOL=${BOUNCER_POOL:-20}
WARMUP=${WARMUP:-180}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
STRATEGIES=${STRATEGIES:-"pessimistic batched"}
BOUNCER_PORT=6432
DB=bankbouncer
source bench/postgres.sh
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
command -v pgbouncer > /dev/null || { echo "pgbouncer is needed: apt-get install pgbouncer" >&2; exit 2; }

start_postgres
fresh_database "$DB"
as_postgres psql -qc "alter role bench in database $DB set lock_timeout = '5s'"
[ -f "$APP_DIR/quarkus-run.jar" ] || ./mvnw -q package -DskipTests

# PgBouncer runs as postgres (it refuses root), its files in a folder postgres can read.
BOUNCER_DIR=$(mktemp -d /tmp/bank-pgbouncer-XXXXXX)
chmod 755 "$BOUNCER_DIR"
cat > "$BOUNCER_DIR/pgbouncer.ini" <<EOF
[databases]
$DB = host=127.0.0.1 port=5432 dbname=$DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir = $BOUNCER_DIR
auth_type = scram-sha-256
auth_file = $BOUNCER_DIR/userlist.txt
pool_mode = transaction
default_pool_size = $BOUNCER_POOL
reserve_pool_size = 0
max_client_conn = 200
logfile = $BOUNCER_DIR/pgbouncer.log
pidfile = $BOUNCER_DIR/pgbouncer.pid
EOF
echo '"bench" "bench"' > "$BOUNCER_DIR/userlist.txt"
chown -R postgres "$BOUNCER_DIR"
as_postgres pgbouncer -d "$BOUNCER_DIR/pgbouncer.ini"
bouncer=$(cat "$BOUNCER_DIR/pgbouncer.pid")

ticks_per_second=$(getconf CLK_TCK)
instances=()
cleanup() {
  kill "${instances[@]}" 2>/dev/null || true
  kill "$bouncer" 2>/dev/null || true
}
trap cleanup EXIT

# start_instances JDBC_URL TRANSACTION_POOLING: INSTANCES services on ports 8081.., management 9081..; waits until each answers.
start_instances() {
  instances=()
  local i
  for ((i = 1; i <= INSTANCES; i++)); do
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    env "${IDENTITY_ENV[@]}" QUARKUS_DATASOURCE_JDBC_URL="$1" QUARKUS_DATASOURCE_USERNAME=bench \
      QUARKUS_DATASOURCE_PASSWORD=bench QUARKUS_DATASOURCE_JDBC_MAX_SIZE="$POOL" BANK_DATASOURCE_TRANSACTION_POOLING="$2" \
      QUARKUS_HTTP_PORT=$((8080 + i)) QUARKUS_MANAGEMENT_PORT=$((9080 + i)) \
      java ${JAVA_OPTS:--Xmx256m -XX:TieredStopAtLevel=1} -jar "$APP_DIR/quarkus-run.jar" > "$LOG/bouncer-instance-$i.log" 2>&1 &
    instances+=($!)
  done
  for ((i = 1; i <= INSTANCES; i++)); do
    until curl -sf -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "localhost:$((8080 + i))/accounts?size=1"; do
      sleep 0.2
    done
  done
}

cpu_ticks() { local pid sum=0; for pid in "$@"; do sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo $sum; }
field() { sed -nE "s/^$1 ([0-9.]+)$/\1/p" "$2"; }
ledger_rows() { psql_bench "$DB" -c "select count(*) from transfer"; }

# ledger_verdict ROWS CREATED: the ledger holds every 201, and no more than the requests still in flight when wrk
# stopped (answered after it stopped counting: one per wrk connection at most).
ledger_verdict() {
  local extra=$(($1 - $2))
  if [ "$extra" -ge 0 ] && [ "$extra" -le $((INSTANCES * 4)) ]; then echo "yes(+$extra)"; else echo "NO($1-rows)"; fi
}

# drive STRATEGY N SECONDS LABEL: one wrk per instance (4 connections each); prints
# "tps worst_p99 cpu_ms_per_transfer bouncer_cpu_ms_per_transfer ledger_ok".
drive() {
  local i rows_before rows_after before after bouncer_before bouncer_after created=0 worst=0 p99 wrks=()
  rows_before=$(ledger_rows)
  before=$(cpu_ticks "${instances[@]}"); bouncer_before=$(cpu_ticks "$bouncer")
  for ((i = 1; i <= INSTANCES; i++)); do
    BENCH_TOKEN=$BENCH_TOKEN FIRST=$first N=$2 ZIPF=0 STRATEGY=$1 wrk -t 1 -c 4 -d "${3}s" --timeout 30s \
      -s bench/transfer.lua "http://localhost:$((8080 + i))" > "$LOG/bouncer-$4-$i.out" &
    wrks+=($!)
  done
  wait "${wrks[@]}"
  after=$(cpu_ticks "${instances[@]}"); bouncer_after=$(cpu_ticks "$bouncer")
  rows_after=$(ledger_rows)
  for ((i = 1; i <= INSTANCES; i++)); do
    created=$((created + $(field created "$LOG/bouncer-$4-$i.out")))
    p99=$(field p99_ms "$LOG/bouncer-$4-$i.out")
    worst=$(echo "if ($p99 > $worst) $p99 else $worst" | bc -l)
  done
  echo "$(echo "$created / $3" | bc -l) $worst" \
    "$(echo "($after - $before) * 1000 / $ticks_per_second / ($created + 0.000001)" | bc -l)" \
    "$(echo "($bouncer_after - $bouncer_before) * 1000 / $ticks_per_second / ($created + 0.000001)" | bc -l)" \
    "$(ledger_verdict $((rows_after - rows_before)) "$created")"
}

printf '%-9s %-12s %-9s %9s %9s %8s %8s %s\n' path strategy workload "201s/s" "p99 ms" "cpu ms" "pgb ms" \
  "ledger = 201s"
for path in direct pgbouncer; do
  if [ "$path" = direct ]; then
    start_instances "jdbc:postgresql://localhost:5432/$DB" false
    # The schema is the service's (Flyway, at its start); one owner for all, whose token wrk sends.
    psql_bench "$DB" -c "insert into account (owner, balance, opening_balance)
                         select $BENCH_OWNER, 1000000000, 1000000000 from generate_series(1, 10000)" > /dev/null
    first=$(psql_bench "$DB" -c "select min(id) from account")
  else
    # Server-side prepared statements do not survive a transaction pooler's change of server connection (1.18).
    # The lock timeout is the role's (set above, before PgBouncer opened any server connection), which the service
    # checks at startup instead of setting it per connection.
    start_instances "jdbc:postgresql://localhost:$BOUNCER_PORT/$DB?prepareThreshold=0" true
  fi
  read -r -a warm <<< "$STRATEGIES"
  for ((window = 10; window <= WARMUP; window += 10)); do
    drive "${warm[$((window / 10 % ${#warm[@]}))]}" 10000 10 warmup > /dev/null
  done
  for strategy in $STRATEGIES; do
    for workload in hotspot uniform; do
      n=$([ "$workload" = hotspot ] && echo 2 || echo 10000)
      read -r tps p99 cpu pgb ok <<< "$(drive "$strategy" "$n" "$SECONDS_PER_RUN" "$path-$strategy-$workload")"
      printf '%-9s %-12s %-9s %9.0f %9.1f %8.3f %8.3f %s\n' "$path" "$strategy" "$workload" "$tps" "$p99" "$cpu" \
        "$([ "$path" = direct ] && echo 0 || echo "$pgb")" "$ok"
    done
  done
  kill "${instances[@]}"; wait "${instances[@]}" 2>/dev/null || true
done
printf '\n%d instances x pool %d; PgBouncer: transaction mode, %d server connections; %d wrk connections in all.\n' \
  "$INSTANCES" "$POOL" "$BOUNCER_POOL" $((INSTANCES * 4))
printf 'cpu ms = CPU of the instances per 201; pgb ms = PgBouncer'"'"'s. Machine: %s cores, PostgreSQL %s.\n' "$(nproc)" \
  "$(psql_bench "$DB" -c 'show server_version')"
