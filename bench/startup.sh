#!/usr/bin/env bash
# shellcheck disable=SC2086 # the *_OPTS variables are lists of options, split on purpose
# Startup and idle memory of the packaged service, the median of LAUNCHES (5) launches for each JVM setup:
#   bench/startup.sh [APP_DIR [AOT_APP_DIR]]
#   APP_DIR:     a packaged quarkus-app (fast-jar, the default layout), target/quarkus-app by default;
#   AOT_APP_DIR: the same packaged as aot-jar, target/aot by default (packaged when missing, so remove it after a change;
#                with ./mvnw package -DskipTests -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=aot)
#   JDK25=/usr/lib/jvm/temurin-25-jdk-amd64 LAUNCHES=5
# Setups, each with the JVM options its image ships, the container's 640 MiB limit emulated by MaxRAM:
#   jdk17      the default JDK and layout, with the options docker/Dockerfile.jvm's run-java.sh passes;
#   jdk25      JDK 25, the same layout and options, no cache;
#   jdk25-aot  JDK 25, the aot-jar layout and an ahead-of-time cache recorded by docker/record-aot-cache.sh's training
#              run, with docker/Dockerfile.jvm-aot's ENTRYPOINT options (read from it): what that image ships.
# Per launch: ms from exec to the first 200 of GET /accounts (with BENCH_TOKEN, see postgres.sh), Quarkus' "started
# in", resident memory 5 s later.
# Not a test: nothing is asserted. Needs a local PostgreSQL (see postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_DIR=${1:-target/quarkus-app}
AOT_APP_DIR=${2:-target/aot}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
LAUNCHES=${LAUNCHES:-5}
DB=bankstartup
CONTAINER_LIMIT=-XX:MaxRAM=640m
# What run-java.sh makes of docker/Dockerfile.jvm's settings (JAVA_MAX_MEM_RATIO=50, GC_CONTAINER_OPTIONS, its own
# defaults for the rest, JAVA_OPTS_APPEND).
JVM_IMAGE_OPTS="-XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 \
-XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError -Dquarkus.http.host=0.0.0.0 \
-Djava.util.logging.manager=org.jboss.logmanager.LogManager"
# docker/Dockerfile.jvm-aot's ENTRYPOINT between "java" and its cache and jar.
AOT_IMAGE_OPTS=$(sed -n '/^ENTRYPOINT/,/]/p' docker/Dockerfile.jvm-aot | grep -o '"[^"]*"' | tr -d '"' \
  | sed '1d; /^-XX:AOTCache=/d; /^-jar$/,$d' | tr '\n' ' ')
[ -n "$AOT_IMAGE_OPTS" ] || { echo "no ENTRYPOINT options found in docker/Dockerfile.jvm-aot" >&2; exit 1; }
source bench/postgres.sh

start_postgres
fresh_database "$DB"
[ -f "$APP_DIR/quarkus-run.jar" ] || ./mvnw -q package -DskipTests
[ -f "$AOT_APP_DIR/quarkus-run.jar" ] \
  || ./mvnw -q package -DskipTests -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=aot
database_env=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:5432/$DB" QUARKUS_DATASOURCE_USERNAME=bench
  QUARKUS_DATASOURCE_PASSWORD=bench)

# launch APP JAVA OPTS...: prints "first_ms started_s rss_mib" for one start, then stops the service.
launch() {
  local app=$1 java=$2 launched answered pid; shift 2
  launched=$(date +%s%N)
  env "${database_env[@]}" "${IDENTITY_ENV[@]}" "$java" "$@" -jar "$app/quarkus-run.jar" > "$LOG/startup.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "localhost:8080/accounts?size=1"; do
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

# measure NAME APP JAVA OPTS...: LAUNCHES launches, the median of each figure.
measure() {
  local name=$1 results; shift
  launch "$@" > /dev/null # the first start after a build or a cache also warms the page cache; not counted
  results=$(for ((i = 0; i < LAUNCHES; i++)); do launch "$@"; done)
  printf '%-14s %8s ms %8s s %6s MiB\n' "$name" "$(cut -d' ' -f1 <<< "$results" | median)" \
    "$(cut -d' ' -f2 <<< "$results" | median)" "$(cut -d' ' -f3 <<< "$results" | median)"
}

# The cache docker/Dockerfile.jvm-aot records, with the same training run and the options measured.
rm -f "$LOG/app.aot"
env "${database_env[@]}" JAVA="$JDK25/bin/java" docker/record-aot-cache.sh "$AOT_APP_DIR" "$LOG/app.aot" \
  $CONTAINER_LIMIT $AOT_IMAGE_OPTS \
  > "$LOG/aot-training.log" 2>&1

printf '%-14s %11s %10s %10s\n' setup "first answer" "started in" "idle RSS"
measure jdk17 "$APP_DIR" java $CONTAINER_LIMIT $JVM_IMAGE_OPTS
measure jdk25 "$APP_DIR" "$JDK25/bin/java" $CONTAINER_LIMIT $JVM_IMAGE_OPTS
measure jdk25-aot "$AOT_APP_DIR" "$JDK25/bin/java" $CONTAINER_LIMIT $AOT_IMAGE_OPTS -XX:AOTCache="$LOG/app.aot"
printf '\nMedian of %d launches each (one unmeasured before); %s cores, %s; the cache: %s MiB.\n' \
  "$LAUNCHES" "$(nproc)" "$(java -version 2>&1 | head -1)" "$(( $(stat -c %s "$LOG/app.aot") / 1048576 ))"
