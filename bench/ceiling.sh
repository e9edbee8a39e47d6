#!/usr/bin/env bash
# The service beside PostgreSQL's own ceiling, on this machine, in one run:
#   bench/ceiling.sh                      (SECONDS_PER_RUN=15 CLIENTS="8 32" by default)
# For each workload (uniform over 10000 accounts, Zipf 1.0 over 100000, a 2-account hot spot) and client count, it
# runs the service's transaction as a pgbench script, then the service itself through HTTP with the attack client
# (pessimistic and optimistic), and prints transfers/s of each and their ratio. A last column drives the pessimistic
# endpoint with wrk (a C client, if installed) instead of the JVM attack client, which shares the 2 cores. Also: the JVM service's startup time to first answer and its
# resident memory after the run. Needs a local PostgreSQL server with pgbench (Debian: postgresql, postgresql-contrib)
# and runs as root or as a user who may `su postgres`. Not a test: nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
CLIENTS=${CLIENTS:-"8 32"}
PG_VERSION=${PG_VERSION:-15}
DB=bankbench
JDBC_URL="jdbc:postgresql://localhost:5432/$DB"
LOG=target/bench
mkdir -p "$LOG"

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }

if ! as_postgres pg_isready -q; then
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
  until as_postgres pg_isready -q; do sleep 0.2; done
fi
as_postgres psql -qc "drop database if exists $DB" -c "drop role if exists bench" \
  -c "create role bench login password 'bench'" -c "create database $DB owner bench"
export PGPASSWORD=bench
psql_bench() { psql -h localhost -U bench -d "$DB" -qtAX "$@"; }

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests
# The attack client runs from target/classes (exec:java).
[ -f target/classes/org/acme/bank/lab/AttackClient.class ] || ./mvnw -q compile

started=$(date +%s%N)
QUARKUS_DATASOURCE_JDBC_URL=$JDBC_URL QUARKUS_DATASOURCE_USERNAME=bench QUARKUS_DATASOURCE_PASSWORD=bench \
  java -jar target/quarkus-app/quarkus-run.jar > "$LOG/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "localhost:8080/accounts?size=1"; do sleep 0.02; done
startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))

# pgbench's own accounts, made the way the service makes them (Flyway has created the schema by now).
psql_bench -c "insert into account (owner, balance, opening_balance)
               select 'pgbench-' || i, 1000000000, 1000000000 from generate_series(1, 100000) i"
first=$(psql_bench -c "select min(id) from account where owner like 'pgbench-%'")

attack() { # strategy users accounts zipf seconds -> one JSON line
  ./mvnw -q exec:java@attack -Dexec.args="--strategy $1 --users $2 --accounts $3 --zipf $4 --duration ${5}s --warmup 3s --json"
}
field() { sed -E "s/.*\"$1\":([^,}]+).*/\1/"; }

echo "Warming up the service (JIT) for 30s..."
attack pessimistic 32 1000 0 30 > /dev/null

printf '\n%-9s %7s %9s %12s %6s %11s %6s %10s %6s  %s\n' workload clients pgbench pessimistic ratio optimistic ratio "pess (wrk)" ratio "deadlocks/errors (pess, opt)"
for workload in uniform zipf hotspot; do
  case $workload in
    uniform) n=10000; zipf=0 ;;
    zipf) n=100000; zipf=1 ;;
    hotspot) n=2; zipf=0 ;;
  esac
  for c in $CLIENTS; do
    pgbench_tps=$(pgbench -h localhost -U bench -n -c "$c" -j 2 -T "$SECONDS_PER_RUN" -f bench/transfer.pgbench \
        -D first="$first" -D n="$n" -D zipf="$zipf" "$DB" 2> "$LOG/pgbench-$workload-$c.err" \
      | tee "$LOG/pgbench-$workload-$c.out" | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | tail -1)
    pess=$(attack pessimistic "$c" "$n" "$zipf" "$SECONDS_PER_RUN" | tee "$LOG/pessimistic-$workload-$c.json")
    opt=$(attack optimistic "$c" "$n" "$zipf" "$SECONDS_PER_RUN" | tee "$LOG/optimistic-$workload-$c.json")
    pess_tps=$(field throughput <<< "$pess"); opt_tps=$(field throughput <<< "$opt")
    wrk_tps=0
    if command -v wrk > /dev/null; then
      wrk_tps=$(FIRST=$first N=$n ZIPF=$zipf wrk -t 2 -c "$c" -d "${SECONDS_PER_RUN}s" -s bench/transfer.lua \
          http://localhost:8080 | tee "$LOG/wrk-$workload-$c.out" | sed -nE 's/^Requests\/sec: +([0-9.]+).*/\1/p')
    fi
    printf '%-9s %7s %9.0f %12.0f %6.2f %11.0f %6.2f %10.0f %6.2f  %s/%s, %s/%s\n' "$workload" "$c" "$pgbench_tps" \
      "$pess_tps" "$(echo "$pess_tps / $pgbench_tps" | bc -l)" "$opt_tps" "$(echo "$opt_tps / $pgbench_tps" | bc -l)" \
      "$wrk_tps" "$(echo "$wrk_tps / $pgbench_tps" | bc -l)" \
      "$(field deadlocks <<< "$pess")" "$(field errors <<< "$pess")" "$(field deadlocks <<< "$opt")" "$(field errors <<< "$opt")"
  done
done

rss_kb=$(ps -o rss= -p "$service")
printf '\nJVM service: first answer %d ms after launch; resident memory after the run %d MiB.\n' "$startup_ms" $((rss_kb / 1024))
printf 'Machine: %s cores, %s, PostgreSQL %s, %s. Logs and raw results in %s/.\n' "$(nproc)" "$(uname -sr)" \
  "$(psql_bench -c 'show server_version')" "$(java -version 2>&1 | head -1)" "$LOG"
