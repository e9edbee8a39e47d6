#!/usr/bin/env bash
# Account history and audit on a large ledger, against a local PostgreSQL:
#   bench/ledger.sh [APP_DIR]           (APP_DIR: a packaged quarkus-app, target/quarkus-app by default)
# Makes one account with TRANSFERS transfers (1,000,000 by default; half sent, half received, with 1000 other
# accounts) among OTHERS transfers between the other accounts (4,000,000), interleaved, and a quiet account whose
# 100 transfers are the ledger's oldest; then times through HTTP: the first page of the busy account's history, a
# page 100,000 rows deep by offset and by keyset (`before`, where the service offers it), the quiet account's first
# page, and GET /audit. Each figure is the median of RUNS requests after WARMUP unmeasured ones. The database is
# kept between runs: run it again with an older build's quarkus-app to compare. Not a test: nothing is asserted.
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
                 select 'ledger-' || i, 1000000, 1000000 from generate_series(0, 1000) i"
  psql_ledger -c "insert into account (owner, balance, opening_balance) values ('quiet', 1000000, 1000000)"
  psql_ledger -c "insert into transfer (from_account_id, to_account_id, amount, strategy, attempts)
                 select (select id from account where owner = 'quiet'), (select max(id) from account
                   where owner like 'ledger-%'), 1.00, 'pessimistic', 1 from generate_series(1, 100)"
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
account=$(psql_ledger -c "select min(id) from account")
quiet=$(psql_ledger -c "select id from account where owner = 'quiet'")
deep=$(psql_ledger -c "select id from transfer where from_account_id = $account or to_account_id = $account
                      order by id desc offset 100000 limit 1")

median_ms() { # url -> median milliseconds of RUNS timed requests, after WARMUP untimed ones
  for _ in $(seq "$WARMUP"); do curl -s -o /dev/null "$1"; done
  for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' "$1"; done \
    | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] * 1000 }'
}

base="localhost:8080/accounts/$account/transfers"
echo "Ledger: $(psql_ledger -c 'select count(*) from transfer') transfers, $(psql_ledger -c \
  "select count(*) from transfer where from_account_id = $account or to_account_id = $account") of account $account"
printf '%-44s %10s\n' request "median ms"
printf '%-44s %10s\n' "history, first page (size 100)" "$(median_ms "$base?size=100")"
printf '%-44s %10s\n' "history, 100,000 deep by offset (page 1000)" "$(median_ms "$base?page=1000&size=100")"
if curl -s -D - -o /dev/null "$base?before=$deep&size=100" | grep -qi '^link:'; then
  printf '%-44s %10s\n' "history, 100,000 deep by keyset (before)" "$(median_ms "$base?before=$deep&size=100")"
else
  printf '%-44s %10s\n' "history, 100,000 deep by keyset (before)" "not offered"
fi
printf '%-44s %10s\n' "quiet account's history, first page" "$(median_ms "localhost:8080/accounts/$quiet/transfers?size=100")"
printf '%-44s %10s\n' "audit" "$(RUNS=5 WARMUP=1 median_ms localhost:8080/audit)"
curl -s localhost:8080/audit; echo

