# Sourced by the bench scripts: the machine's PostgreSQL server (started if it is not running), a role "bench", the
# identity of the service they start, and helpers. Needs a local PostgreSQL with pgbench (Debian: postgresql,
# postgresql-contrib); run as root or as a user who may `su postgres`.
PG_VERSION=${PG_VERSION:-15}
LOG=target/bench
mkdir -p "$LOG"
export PGPASSWORD=bench

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }

start_postgres() {
  if ! as_postgres pg_isready -q; then
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
    until as_postgres pg_isready -q; do sleep 0.2; done
  fi
}

# fresh_database NAME: drops and creates it, owned by the role bench (made if missing).
fresh_database() {
  as_postgres psql -qc "drop database if exists $1" \
    -c "do \$\$ begin create role bench login password 'bench'; exception when duplicate_object then null; end \$\$"
  as_postgres psql -qc "create database $1 owner bench"
}

# database_exists NAME
database_exists() { as_postgres psql -lqt | cut -d '|' -f 1 | grep -qw "$1"; }

# psql_bench DB ARGS...: one value per line, no decoration.
psql_bench() { local db=$1; shift; psql -h localhost -U bench -d "$db" -qtAX "$@"; }

# The service started here trusts the tests' key (src/test/resources/identity; never a deployment's), so that
# bench/BenchToken.java can sign the tokens the scripts send. BENCH_SUBJECT owns the accounts they write by SQL, and
# BENCH_TOKEN is that customer's token.
IDENTITY=src/test/resources/identity/test-identity.properties
identity_setting() { sed -n "s/^quarkus\.oidc\.$1=//p" "$IDENTITY"; }
IDENTITY_ENV=(QUARKUS_OIDC_PUBLIC_KEY="$(identity_setting public-key)"
  QUARKUS_OIDC_TOKEN_ISSUER="$(identity_setting token.issuer)"
  QUARKUS_OIDC_TOKEN_AUDIENCE="$(identity_setting token.audience)")
BENCH_SUBJECT=${BENCH_SUBJECT:-bench}
BENCH_OWNER="'${BENCH_SUBJECT//\'/\'\'}'" # as an SQL literal
BENCH_TOKEN=$(java bench/BenchToken.java "$BENCH_SUBJECT")

# start_service APP_DIR DB LOGFILE [VAR=VALUE...]: the packaged service on that database, on port 8080, trusting the
# tests' key; sets $service. JAVA (default java) and JAVA_OPTS choose the JVM and its options.
start_service() {
  local app=$1 db=$2 log=$3; shift 3
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  env "${IDENTITY_ENV[@]}" QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME=bench QUARKUS_DATASOURCE_PASSWORD=bench "$@" \
    "${JAVA:-java}" ${JAVA_OPTS:-} -jar "$app/quarkus-run.jar" > "$log" 2>&1 &
  service=$!
  trap 'kill $service 2>/dev/null || true' EXIT
  until curl -sf -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "localhost:8080/accounts?size=1"; do
    sleep 0.05
  done
}
