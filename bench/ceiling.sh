#!/usr/bin/env bash
# The service beside PostgreSQL's own ceiling, on this machine, in one run:
#   bench/ceiling.sh [APP_DIR]      (APP_DIR: a packaged quarkus-app, target/quarkus-app by default)
#   WARMUP=150 SECONDS_PER_RUN=15 CONNECTIONS="32 128" WORKLOADS="uniform zipf hotspot"
#   STRATEGIES="pessimistic optimistic" BENCH_SUBJECT=bench
#   BULK=1000 BULK_CONNECTIONS=8 BULK_WORKLOADS="hotspot uniform" WRITERS=2 by default (BULK=0: no bulk part)
# Starts the packaged service on a fresh database of the local PostgreSQL, warms it up under load and prints the
# warm-up curve (201s per second in 10 s windows), then for each workload (uniform over 10,000 accounts, Zipf 1.0 over
# 100,000, a hot spot of 2) and connection count runs, one after the other for SECONDS_PER_RUN each:
#   - pgbench with bench/transfer-minimal.pgbench, the least SQL a correct transfer needs (the ceiling);
#   - pgbench with bench/transfer.pgbench, the service's own statements;
#   - the service's endpoints (STRATEGIES) driven by wrk (bench/transfer.lua), counting 201s only,
#     with the service's CPU time per transfer (utime + stime of its process over the window, divided by the 201s)
#     and wrk's latency percentiles (of every answer).
# Then, for each of BULK_WORKLOADS, bulk requests of BULK transfers (bench/bulk.lua) from BULK_CONNECTIONS connections:
#   - pgbench with bench/transfer-minimal.pgbench at 32 clients again, the reference of the ratio;
#   - pgbench with bench/transfer-bulk-minimal.pgbench at WRITERS clients (as many as the service's batched writers,
#     bank.transfer.batched.writers) and at BULK_CONNECTIONS: PostgreSQL alone applying batches of BULK transfers as
#     the service's writers do; the better of the two is the reference;
#   (the accounts vacuumed before each of these windows, so that none walks the dead row versions of the one before)
#   - POST /transfers/bulk, its transfers counted from the ledger (rows committed during the window), with what bounds
#     it: the service's and PostgreSQL's CPU per transfer, WAL bytes per transfer, how busy the batched writers were
#     (bank_transfer_batch_seconds), and p50/p99 per request.
# Every account is BENCH_SUBJECT's, and wrk sends that customer's token (bench/BenchToken.java, signed with the tests'
# key, which the service is started to trust).
# Not a test: nothing is asserted. Needs wrk (Debian: wrk) and a local PostgreSQL with pgbench (see postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_DIR=${1:-target/quarkus-app}
WARMUP=${WARMUP:-150}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
CONNECTIONS=${CONNECTIONS:-"32 128"}
WORKLOADS=${WORKLOADS-"uniform zipf hotspot"}
STRATEGIES=${STRATEGIES-"pessimistic optimistic"}
BULK=${BULK:-1000}
BULK_CONNECTIONS=${BULK_CONNECTIONS:-8}
BULK_WORKLOADS=${BULK_WORKLOADS-"hotspot uniform"}
WRITERS=${WRITERS:-${BANK_TRANSFER_BATCHED_WRITERS:-2}}
DB=bankbench
source bench/postgres.sh
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

start_postgres
# pgbench's 128 clients next to the service's pool need more than PostgreSQL's default 100 connections.
if [ "$(as_postgres psql -qtAXc 'show max_connections')" -lt 300 ]; then
  as_postgres psql -qc "alter system set max_connections = 300"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
  until as_postgres pg_isready -q; do sleep 0.2; done
fi
fresh_database "$DB"

[ -f "$APP_DIR/quarkus-run.jar" ] || ./mvnw -q package -DskipTests
launched=$(date +%s%N)
start_service "$APP_DIR" "$DB" "$LOG/service.log"
startup_ms=$(( ($(date +%s%N) - launched) / 1000000 ))

# One owner for all: only an account's owner may debit it, and wrk sends one token.
psql_bench "$DB" -c "insert into account (owner, balance, opening_balance)
                     select $BENCH_OWNER, 1000000000, 1000000000 from generate_series(1, 100000)"
first=$(psql_bench "$DB" -c "select min(id) from account")
ticks_per_second=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$service/stat"; }
field() { sed -nE "s/^$1 ([0-9.]+)$/\1/p" "$2"; }

# drive STRATEGY N ZIPF CONNECTIONS SECONDS OUT: wrk against the service; prints "tps cpu_ms p50 p99 other".
drive() {
  local before after created
  before=$(cpu_ticks)
  BENCH_TOKEN=$BENCH_TOKEN FIRST=$first N=$2 ZIPF=$3 STRATEGY=$1 wrk -t "$(( $4 < 2 ? $4 : 2 ))" -c "$4" -d "${5}s" --timeout 30s -s bench/transfer.lua \
    http://localhost:8080 > "$6"
  after=$(cpu_ticks)
  created=$(field created "$6")
  echo "$(echo "$created / $5" | bc -l) $(echo "($after - $before) * 1000 / $ticks_per_second / ($created + 0.000001)" \
    | bc -l) $(field p50_ms "$6") $(field p99_ms "$6") $(field other "$6")"
}

# pgbench_tps SCRIPT N ZIPF CONNECTIONS
pgbench_tps() {
  pgbench -h localhost -U bench -n -M prepared -c "$4" -j "$(( $4 < 2 ? $4 : 2 ))" -T "$SECONDS_PER_RUN" -f "$1" \
      -D first="$first" -D n="$2" -D zipf="$3" -D owner="$BENCH_SUBJECT" -D size="$BULK" "$DB" 2>> "$LOG/pgbench.err" \
    | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | tail -1
}

# CPU ticks of PostgreSQL: of every process of it now running, and of those that have ended (an autovacuum worker, a
# backend), which the postmaster's counts of its reaped children hold (fields 16 and 17; about 0 for the others).
pg_ticks() { for pid in $(pgrep -u postgres postgres); do awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat" \
  2>/dev/null; done | awk '{ sum += $1 } END { print sum + 0 }'; }
# Seconds the batched writers spent in their transactions so far (Prometheus, on the management port).
writer_seconds() { curl -s localhost:9000/q/metrics | sed -nE 's/^bank_transfer_batch_seconds_sum ([0-9.eE+-]+)$/\1/p'; }
wal_lsn() { psql_bench "$DB" -c "select pg_current_wal_lsn() - '0/0'"; }

# fresh_accounts: no dead row versions of the accounts left by the run before (batches of 1000 over 10,000 accounts
# update each about 30 times in a 15 s window; until autovacuum comes, every locking read of the next run walks them).
fresh_accounts() { psql_bench "$DB" -c "vacuum account" > /dev/null; }

# pg_alone N CLIENTS: PostgreSQL alone applying batches of BULK transfers, in transfers/s (0 if pgbench printed none).
pg_alone() {
  fresh_accounts
  echo "0$(pgbench_tps bench/transfer-bulk-minimal.pgbench "$1" 0 "$2") * $BULK" | bc -l
}

# drive_bulk N SECONDS OUT: wrk's bulk requests; prints "transfers/s cpu_us pg_cpu_us wal_bytes writers_busy p50 p99
# other", transfers counted from the ledger.
drive_bulk() {
  local last cpu pg wal writer committed
  last=$(psql_bench "$DB" -c "select coalesce(max(id), 0) from transfer")
  cpu=$(cpu_ticks); pg=$(pg_ticks); wal=$(wal_lsn); writer=$(writer_seconds)
  BENCH_TOKEN=$BENCH_TOKEN FIRST=$first N=$1 BULK=$BULK wrk -t "$(( BULK_CONNECTIONS < 2 ? BULK_CONNECTIONS : 2 ))" \
    -c "$BULK_CONNECTIONS" -d "${2}s" --timeout 60s -s bench/bulk.lua http://localhost:8080 > "$3"
  committed=$(psql_bench "$DB" -c "select count(*) from transfer where id > $last")
  echo "$(echo "$committed / $2" | bc -l) \
    $(echo "($(cpu_ticks) - $cpu) * 1000000 / $ticks_per_second / ($committed + 0.000001)" | bc -l) \
    $(echo "($(pg_ticks) - $pg) * 1000000 / $ticks_per_second / ($committed + 0.000001)" | bc -l) \
    $(echo "($(wal_lsn) - $wal) / ($committed + 0.000001)" | bc -l) \
    $(echo "($(writer_seconds) - $writer) * 100 / $2" | bc -l) \
    $(field p50_ms "$3") $(field p99_ms "$3") $(field other "$3")"
}

# Every strategy measured takes its turn, so that each one's code is compiled before it is timed.
read -r -a warm_strategies <<< "$STRATEGIES $( [ "$BULK" -gt 0 ] && echo bulk)"
echo "Warm-up: ${warm_strategies[*]} in turn, uniform over 10,000 accounts, 32 connections ($BULK_CONNECTIONS for" \
  "bulk), 10 s windows (transfers per second)"
for ((window = 10; window <= WARMUP; window += 10)); do
  strategy=${warm_strategies[$(( window / 10 % ${#warm_strategies[@]} ))]}
  if [ "$strategy" = bulk ]; then
    read -r tps _ <<< "$(drive_bulk 10000 10 "$LOG/warmup.out")"
  else
    read -r tps _ <<< "$(drive "$strategy" 10000 0 32 10 "$LOG/warmup.out")"
  fi
  printf '  %4d s  %-11s %6.0f\n' "$window" "$strategy" "$tps"
done

printf '\n%-8s %5s %8s %8s' workload conns "pg min" "pg svc"
for strategy in $STRATEGIES; do printf ' | %11s %5s %6s %6s %7s %5s' "$strategy" ratio "cpu ms" p50 p99 other; done
echo
for workload in $WORKLOADS; do
  case $workload in
    uniform) n=10000; zipf=0 ;;
    zipf) n=100000; zipf=1 ;;
    hotspot) n=2; zipf=0 ;;
  esac
  for c in $CONNECTIONS; do
    minimal=$(pgbench_tps bench/transfer-minimal.pgbench "$n" "$zipf" "$c")
    statements=$(pgbench_tps bench/transfer.pgbench "$n" "$zipf" "$c")
    printf '%-8s %5s %8.0f %8.0f' "$workload" "$c" "$minimal" "$statements"
    for strategy in $STRATEGIES; do
      read -r tps cpu p50 p99 other <<< "$(drive "$strategy" "$n" "$zipf" "$c" "$SECONDS_PER_RUN" \
        "$LOG/$strategy-$workload-$c.out")"
      printf ' | %11.0f %5.2f %6.3f %6.1f %7.1f %5s' "$tps" "$(echo "$tps / $minimal" | bc -l)" "$cpu" "$p50" "$p99" \
        "$other"
    done
    echo
  done
done

if [ "$BULK" -gt 0 ] && [ -n "$BULK_WORKLOADS" ]; then
  printf '\nBulk: %d transfers per request, %d connections\n' "$BULK" "$BULK_CONNECTIONS"
  printf '%-8s %8s %9s %9s | %9s %6s %6s | %7s %7s %8s %7s | %6s %7s %5s\n' workload "pg 1/tx" "pg b/$WRITERS" \
    "pg b/$BULK_CONNECTIONS" bulk ratio "of pg" "cpu us" "pg us" "WAL B" writers p50 p99 other
  for workload in $BULK_WORKLOADS; do
    case $workload in
      uniform) n=10000 ;;
      hotspot) n=2 ;;
      *) n=$workload ;;
    esac
    fresh_accounts
    single=$(pgbench_tps bench/transfer-minimal.pgbench "$n" 0 32)
    as_writers=$(pg_alone "$n" "$WRITERS")
    as_clients=$(pg_alone "$n" "$BULK_CONNECTIONS")
    database=$(echo "if ($as_writers > $as_clients) $as_writers else $as_clients" | bc -l)
    fresh_accounts
    read -r tps cpu pg wal writers p50 p99 other <<< "$(drive_bulk "$n" "$SECONDS_PER_RUN" "$LOG/bulk-$workload.out")"
    printf '%-8s %8.0f %9.0f %9.0f | %9.0f %6.1f %5.0f%% | %7.1f %7.1f %8.0f %6.0f%% | %6.0f %7.0f %5s\n' "$workload" \
      "$single" "$as_writers" "$as_clients" "$tps" "$(echo "$tps / $single" | bc -l)" \
      "$(echo "$tps * 100 / $database" | bc -l)" "$cpu" "$pg" "$wal" "$writers" "$p50" "$p99" "$other"
  done
  printf '\npg 1/tx: transfer-minimal.pgbench at 32 clients, transfers/s; pg b/N: transfer-bulk-minimal.pgbench at N\n'
  printf 'clients, transfers/s (PostgreSQL alone); bulk: transfers committed per second, counted in the ledger; ratio =\n'
  printf 'bulk / pg 1/tx; of pg = bulk / the better pg b/N; cpu us, pg us = CPU of the service, of PostgreSQL per\n'
  printf 'transfer; WAL B = WAL bytes per transfer; writers = time in batched transactions / wall time (100%% per busy\n'
  printf 'writer); p50, p99 per request in ms; other = requests not answered 200.\n'
fi

rss_kb=$(ps -o rss= -p "$service")
printf '\nTransfers/s; ratio = service / "pg min"; cpu ms = service CPU per 201; p50/p99 in ms (wrk, every answer);\n'
printf 'other = answers that were not 201.\n'
printf 'JVM service: first answer %d ms after launch; resident memory after the run %d MiB.\n' "$startup_ms" \
  $((rss_kb / 1024))
printf 'Machine: %s cores, %s, PostgreSQL %s, %s. Raw output in %s/.\n' "$(nproc)" "$(uname -sr)" \
  "$(psql_bench "$DB" -c 'show server_version')" "$(java -version 2>&1 | head -1)" "$LOG"
