#!/usr/bin/env bash
# Account history, balances as of an instant, statements and the audit on a large ledger, against a local PostgreSQL:
#   bench/ledger.sh [APP_DIR]           (APP_DIR: a packaged quarkus-app, target/quarkus-app by default)
# Makes one account with TRANSFERS transfers (1,000,000 by default; half sent, half received, with 1000 other
# accounts) among OTHERS transfers between the other accounts (4,000,000), interleaved, one second apart (so the
# ledger spans about two months and as-of queries mean something), and a quiet account whose 100 transfers are the
# ledger's oldest. The rows are written by SQL into the schema as it was before running balances (migrations V1 to V6),
# then the service starts and migrates it (V7 numbers the entries and computes their balances: the back-fill an
# upgrade runs, timed from Flyway's log). Then times through HTTP: the first page of the busy account's
# history, a page 100,000 rows deep by offset and by keyset (before), the quiet account's first page, balances as of
# instants early, midway and late in the ledger, a statement page, the full audit (which sets every checkpoint), and
# the incremental audit after a bulk of 1000 new transfers. Each figure is the median of RUNS requests after WARMUP
# unmeasured ones. The database is kept between runs: run it again with an older build's quarkus-app to compare.
# Every account is BENCH_SUBJECT's (bench by default), whose token (bench/BenchToken.java) reads the histories; the
# audit is read with an auditor's. Not a test: nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_DIR=${1:-target/quarkus-app}
TRANSFERS=${TRANSFERS:-1000000}
OTHERS=${OTHERS:-4000000}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-20}
DB=${DB:-bankledger}
source bench/postgres.sh
psql_ledger() { psql_bench "$DB" "$@"; }

start_postgres
fresh=no
if ! database_exists "$DB"; then
  fresh_database "$DB"
  fresh=yes
fi

[ -f "$APP_DIR/quarkus-run.jar" ] || ./mvnw -q package -DskipTests

if [ "$fresh" = yes ]; then
  total=$((TRANSFERS + OTHERS + 100))
  cat src/main/resources/db/migration/V[1-6]__*.sql | psql_ledger > /dev/null
  echo "Writing $TRANSFERS transfers of one account among $OTHERS others, one second apart, at schema V6..."
  psql_ledger -c "insert into account (owner, balance, opening_balance)
                 select $BENCH_OWNER, 1000000, 1000000 from generate_series(0, 1001)"
  # The quiet account is the last; its transfers, to the one before it, are the ledger's first.
  psql_ledger -c "insert into transfer (from_account_id, to_account_id, amount, strategy, attempts, created_at)
                 select a.last, (select max(id) from account where id < a.last), 1.00, 'pessimistic', 1,
                        now() - interval '1 second' * ($total - i)
                   from generate_series(1, 100) i, (select max(id) as last from account) a"
  # Transfer i involves the first account when i falls on its share, else two of the others.
  psql_ledger -c "insert into transfer (from_account_id, to_account_id, amount, strategy, attempts, created_at)
                 select case when mine and i % 2 = 0 then a.first else a.first + 1 + i % 1000 end,
                        case when mine and i % 2 = 1 then a.first else a.first + 1 + (i + 1) % 1000 end,
                        1.00, 'pessimistic', 1, now() - interval '1 second' * ($total - 100 - i)
                   from (select i, i % $(( (TRANSFERS + OTHERS) / TRANSFERS )) = 0 as mine
                           from generate_series(1, $((TRANSFERS + OTHERS))) i) g,
                        (select min(id) as first from account) a"
  # Balances the ledger explains, so that the audit finds the books consistent.
  psql_ledger -c "analyze transfer"
  psql_ledger -c "update account a set balance = a.opening_balance
                   - coalesce((select sum(amount) from transfer where from_account_id = a.id), 0)
                   + coalesce((select sum(amount) from transfer where to_account_id = a.id), 0)"
  psql_ledger -c "vacuum analyze account" -c "vacuum analyze transfer"
  echo "Starting the service, which migrates the ledger from V6 on (V7 numbers its entries)..."
  start_service "$APP_DIR" "$DB" "$LOG/ledger-service.log" QUARKUS_FLYWAY_BASELINE_ON_MIGRATE=true \
    QUARKUS_FLYWAY_BASELINE_VERSION=6
  grep -o 'Successfully applied.*' "$LOG/ledger-service.log" || true
  grep -o 'Migrating schema "public" to version.*' "$LOG/ledger-service.log" || true
  psql_ledger -c "vacuum analyze account" -c "vacuum analyze transfer"
else
  start_service "$APP_DIR" "$DB" "$LOG/ledger-service.log"
fi
# A database written before accounts had owners, or for another BENCH_SUBJECT, is made this subject's.
psql_ledger -c "update account set owner = $BENCH_OWNER where owner <> $BENCH_OWNER"
account=$(psql_ledger -c "select min(id) from account")
quiet=$(psql_ledger -c "select from_account_id from transfer order by id limit 1")
auditor_token=$(java bench/BenchToken.java bench-auditor auditor)
deep=$(psql_ledger -c "select entries - 100000 from account where id = $account")
# Instants 10%, 50% and 90% into the busy account's life, URL-encoded.
instant() { psql_ledger -c "select to_char((created_at + (now() - created_at) * $1) at time zone 'UTC',
                                           'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from account where id = $account"; }

median_ms() { # token url -> median milliseconds of RUNS timed requests, after WARMUP untimed ones
  local authorization="Authorization: Bearer $1"
  for _ in $(seq "$WARMUP"); do curl -s -o /dev/null -H "$authorization" "$2"; done
  for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' -H "$authorization" "$2"; done \
    | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] * 1000 }'
}
row() { printf '%-48s %10s\n' "$1" "$2"; }

base="localhost:8080/accounts/$account"
echo "Ledger: $(psql_ledger -c 'select count(*) from transfer') transfers, $(psql_ledger -c \
  "select entries from account where id = $account") entries of account $account"
row request "median ms"
row "history, first page (size 100)" "$(median_ms "$BENCH_TOKEN" "$base/transfers?size=100")"
row "history, 100,000 deep by offset (page 1000)" "$(median_ms "$BENCH_TOKEN" "$base/transfers?page=1000&size=100")"
row "history, 100,000 deep by keyset (before)" "$(median_ms "$BENCH_TOKEN" "$base/transfers?before=$deep&size=100")"
row "quiet account's history, first page" \
  "$(median_ms "$BENCH_TOKEN" "localhost:8080/accounts/$quiet/transfers?size=100")"
for share in 0.1 0.5 0.9; do
  row "balance as of $share of the busy account's life" \
    "$(median_ms "$BENCH_TOKEN" "$base/balance?asOf=$(instant $share)")"
done
row "quiet account's balance as of now" "$(median_ms "$BENCH_TOKEN" "localhost:8080/accounts/$quiet/balance")"
row "statement, a page of 100 from midway" \
  "$(median_ms "$BENCH_TOKEN" "$base/statement?from=$(instant 0.5)&size=100")"
row "full audit (sets every checkpoint)" \
  "$(RUNS=1 WARMUP=0 median_ms "$auditor_token" "localhost:8080/audit?full=true")"
curl -s -H "Authorization: Bearer $auditor_token" "localhost:8080/audit?full=true"; echo
others=$(psql_ledger -c "select string_agg(id::text, ' ') from (select id from account order by id offset 1 limit 10) a")
read -r -a pair <<< "$others"
items=$(for i in $(seq 1000); do
  printf '{"from":%s,"to":%s,"amount":"0.01"},' "${pair[$((i % 10))]}" "${pair[$(((i + 1) % 10))]}"; done)
curl -s -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"transfers\":[${items%,}]}" localhost:8080/transfers/bulk
row "incremental audit, 1000 transfers after a check" \
  "$(RUNS=1 WARMUP=0 median_ms "$auditor_token" localhost:8080/audit)"
row "incremental audit, nothing new" "$(RUNS=5 WARMUP=0 median_ms "$auditor_token" localhost:8080/audit)"
curl -s -H "Authorization: Bearer $auditor_token" localhost:8080/audit; echo
