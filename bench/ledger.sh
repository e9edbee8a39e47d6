#!/usr/bin/env bash
# Account history and audit on a large ledger, against a local PostgreSQL:
#   bench/ledger.sh [APP_DIR]           (APP_DIR: a packaged quarkus-app, target/quarkus-app by default)
# Makes one account with TRANSFERS transfers (1,000,000 by default; half sent, half received, with 1000 other
# accounts) among OTHERS transfers between the other accounts (4,000,000), interleaved, and a quiet account whose
# 100 transfers are the ledger's oldest; then times through HTTP: the first page of the busy account's history, a
# page 100,000 rows deep by offset and by keyset (`before`, where the service offers it), the quiet account's first
# page, and GET /audit. Each figure is the median of RUNS requests after WARMUP unmeasured ones. The database is
# kept between runs: run it again with an older build's quarkus-app to compare. Every account is BENCH_SUBJECT's
# (bench by default), whose token (bench/BenchToken.java) reads the histories; the audit is read with an auditor's.
# Not a test: nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_DIR=${1:-target/quarkus-app}
TRANSFERS=${TRANSFERS:-1000000}
OTHERS=${OTHERS:-4000000}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-20}
DB=bankledger
source bench/postgres.sh
psql_ledger() { psql_bench "$DB" "$@"; }

start_postgres
fresh=no
if ! database_exists "$DB"; then
  fresh_database "$DB"
  fresh=yes
fi

[ -f "$APP_DIR/quarkus-run.jar" ] || ./mvnw -q package -DskipTests
start_service "$APP_DIR" "$DB" "$LOG/ledger-service.log"

if [ "$fresh" = yes ]; then
  echo "Writing $TRANSFERS transfers of one account among $OTHERS others..."
  psql_ledger -c "insert into account (owner, balance, opening_balance)
                 select $BENCH_OWNER, 1000000, 1000000 from generate_series(0, 1001)"
  # The quiet account is the last; its transfers, to the one before it, are the ledger's first.
  psql_ledger -c "insert into transfer (from_account_id, to_account_id, amount, strategy, attempts)
                 select a.last, (select max(id) from account where id < a.last), 1.00, 'pessimistic', 1
                   from generate_series(1, 100), (select max(id) as last from account) a"
  # Transfer i involves the first account when i falls on its share, else two of the others.
  psql_ledger -c "insert into transfer (from_account_id, to_account_id, amount, strategy, attempts)
                 select case when mine and i % 2 = 0 then a.first else a.first + 1 + i % 1000 end,
                        case when mine and i % 2 = 1 then a.first else a.first + 1 + (i + 1) % 1000 end,
                        1.00, 'pessimistic', 1
                   from (select i, i % $(( (TRANSFERS + OTHERS) / TRANSFERS )) = 0 as mine
                           from generate_series(1, $((TRANSFERS + OTHERS))) i) g,
                        (select min(id) as first from account) a"
  # Balances the ledger explains, so that the audit finds the books consistent.
  psql_ledger -c "update account a set balance = a.opening_balance
                   - coalesce((select sum(amount) from transfer where from_account_id = a.id), 0)
                   + coalesce((select sum(amount) from transfer where to_account_id = a.id), 0)"
  psql_ledger -c "vacuum analyze account" -c "vacuum analyze transfer"
fi
# A database written before accounts had owners, or for another BENCH_SUBJECT, is made this subject's.
psql_ledger -c "update account set owner = $BENCH_OWNER where owner <> $BENCH_OWNER"
account=$(psql_ledger -c "select min(id) from account")
quiet=$(psql_ledger -c "select from_account_id from transfer order by id limit 1")
auditor_token=$(java bench/BenchToken.java bench-auditor auditor)
deep=$(psql_ledger -c "select id from transfer where from_account_id = $account or to_account_id = $account
                      order by id desc offset 100000 limit 1")

median_ms() { # token url -> median milliseconds of RUNS timed requests, after WARMUP untimed ones
  local authorization="Authorization: Bearer $1"
  for _ in $(seq "$WARMUP"); do curl -s -o /dev/null -H "$authorization" "$2"; done
  for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' -H "$authorization" "$2"; done \
    | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] * 1000 }'
}

base="localhost:8080/accounts/$account/transfers"
echo "Ledger: $(psql_ledger -c 'select count(*) from transfer') transfers, $(psql_ledger -c \
  "select count(*) from transfer where from_account_id = $account or to_account_id = $account") of account $account"
printf '%-44s %10s\n' request "median ms"
printf '%-44s %10s\n' "history, first page (size 100)" "$(median_ms "$BENCH_TOKEN" "$base?size=100")"
printf '%-44s %10s\n' "history, 100,000 deep by offset (page 1000)" \
  "$(median_ms "$BENCH_TOKEN" "$base?page=1000&size=100")"
if curl -s -D - -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "$base?before=$deep&size=100" \
    | grep -qi '^link:'; then
  printf '%-44s %10s\n' "history, 100,000 deep by keyset (before)" \
    "$(median_ms "$BENCH_TOKEN" "$base?before=$deep&size=100")"
else
  printf '%-44s %10s\n' "history, 100,000 deep by keyset (before)" "not offered"
fi
printf '%-44s %10s\n' "quiet account's history, first page" \
  "$(median_ms "$BENCH_TOKEN" "localhost:8080/accounts/$quiet/transfers?size=100")"
printf '%-44s %10s\n' "audit" "$(RUNS=5 WARMUP=1 median_ms "$auditor_token" localhost:8080/audit)"
curl -s -H "Authorization: Bearer $auditor_token" localhost:8080/audit; echo

