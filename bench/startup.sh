#!/usr/bin/env bash
# Startup and idle memory of the packaged service, the median of LAUNCHES (5) launches for each JVM setup:
#   bench/startup.sh [APP_DIR]      (APP_DIR: a packaged quarkus-app, target/quarkus-app by default)
#   JDK25=/usr/lib/jvm/temurin-25-jdk-amd64 LAUNCHES=5
# Setups, each with the JVM options docker/Dockerfile.jvm ships, the container's 640 MiB limit emulated by MaxRAM:
#   jdk17         the default JDK, as docker/Dockerfile.jvm runs it;
#   jdk25         JDK 25, no cache;
#   jdk25-aot     JDK 25 with an ahead-of-time cache recorded by a start that exits once initialised (no database
#                 needed: what docker/Dockerfile.jvm-aot records while the image is built);
#   jdk25-trained JDK 25 with a cache recorded by a run that served traffic (creates, transfers of every strategy).
# Per launch: ms from exec to the first 200 of GET /accounts, Quarkus' "started in", resident memory 5 s later.
# Not a test: nothing is asserted. Needs a local PostgreSQL (see postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_DIR=${1:-target/quarkus-app}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
LAUNCHES=${LAUNCHES:-5}
DB=bankstartup
# As docker/Dockerfile.jvm: Serial GC (two cores), heap at most half of the container's memory limit.
SHIPPED_OPTS="-XX:MaxRAM=640m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC"
source bench/postgres.sh

start_postgres
fresh_database "$DB"
[ -f "$APP_DIR/quarkus-run.jar" ] || ./mvnw -q package -DskipTests
database_env=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:5432/$DB" QUARKUS_DATASOURCE_USERNAME=bench
  QUARKUS_DATASOURCE_PASSWORD=bench)

# launch JAVA OPTS...: prints "first_ms started_s rss_mib" for one start, then stops the service.
launch() {
  local java=$1 launched answered pid; shift
  launched=$(date +%s%N)
  env "${database_env[@]}" "$java" "$@" -jar "$APP_DIR/quarkus-run.jar" > "$LOG/startup.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "localhost:8080/accounts?size=1"; do
    kill -0 "$pid" 2> /dev/null || { echo "the service stopped; see $LOG/startup.log" >&2; exit 1; }
    sleep 0.01
  done
  answered=$(date +%s%N)
  sleep 5
  echo "$(( (answered - launched) / 1000000 )) $(sed -nE 's/.*started in ([0-9.]+)s.*/\1/p' "$LOG/startup.log") \
$(( $(ps -o rss= -p "$pid") / 1024 ))"
  kill "$pid"
  wait "$pid" 2> /dev/null || true
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME JAVA OPTS...: LAUNCHES launches, the median of each figure.
measure() {
  local name=$1 results; shift
  launch "$@" > /dev/null # the first start after a build or a cache also warms the page cache; not counted
  results=$(for ((i = 0; i < LAUNCHES; i++)); do launch "$@"; done)
  printf '%-14s %8s ms %8s s %6s MiB\n' "$name" "$(cut -d' ' -f1 <<< "$results" | median)" \
    "$(cut -d' ' -f2 <<< "$results" | median)" "$(cut -d' ' -f3 <<< "$results" | median)"
}

# The cache of a start that exits once initialised, with no database (as an image build records it).
env QUARKUS_INIT_AND_EXIT=true QUARKUS_FLYWAY_MIGRATE_AT_START=false \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:1/none QUARKUS_DATASOURCE_USERNAME=none \
  QUARKUS_DATASOURCE_PASSWORD=none "$JDK25/bin/java" $SHIPPED_OPTS -XX:AOTCacheOutput="$LOG/init.aot" \
  -jar "$APP_DIR/quarkus-run.jar" > "$LOG/aot-init.log" 2>&1

# The cache of a run that served traffic.
env "${database_env[@]}" "$JDK25/bin/java" $SHIPPED_OPTS -XX:AOTCacheOutput="$LOG/trained.aot" \
  -jar "$APP_DIR/quarkus-run.jar" > "$LOG/aot-trained.log" 2>&1 &
training=$!
until curl -sf -o /dev/null "localhost:8080/accounts?size=1"; do sleep 0.05; done
for i in 1 2; do
  curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"owner":"training","balance":1000}' localhost:8080/accounts
done
first=$(psql_bench "$DB" -c "select min(id) from account")
for strategy in pessimistic optimistic batched; do
  for ((i = 0; i < 200; i++)); do
    curl -s -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"from\":$first,\"to\":$((first + 1)),\"amount\":1.00}" "localhost:8080/transfers/$strategy"
  done
done
curl -s -o /dev/null localhost:8080/audit
curl -s -o /dev/null "localhost:8080/accounts/$first/transfers"
kill "$training"
wait "$training" || true

printf '%-14s %11s %10s %10s\n' setup "first answer" "started in" "idle RSS"
measure jdk17 java $SHIPPED_OPTS
measure jdk25 "$JDK25/bin/java" $SHIPPED_OPTS
measure jdk25-aot "$JDK25/bin/java" $SHIPPED_OPTS -XX:AOTCache="$LOG/init.aot"
measure jdk25-trained "$JDK25/bin/java" $SHIPPED_OPTS -XX:AOTCache="$LOG/trained.aot"
printf '\nMedian of %d launches each (one unmeasured before); %s cores, %s; caches: %s MiB (init), %s MiB (trained).\n' \
  "$LAUNCHES" "$(nproc)" "$(java -version 2>&1 | head -1)" "$(( $(stat -c %s "$LOG/init.aot") / 1048576 ))" \
  "$(( $(stat -c %s "$LOG/trained.aot") / 1048576 ))"
