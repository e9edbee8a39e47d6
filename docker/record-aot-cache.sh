#!/usr/bin/env bash
# Records a JDK 25 ahead-of-time cache (JEPs 483, 514, 515) from a training run of the packaged service:
#   record-aot-cache.sh APP_DIR CACHE [JVM_OPTION...]
# APP_DIR is a quarkus-app packaged as aot-jar (./mvnw package -Dquarkus.package.jar.type=aot-jar), whose classes
# the JVM's own class loader reads, so that the cache can hold them (the default fast-jar's loader is Quarkus' own,
# whose classes a JDK 25 cache skips). The service runs with the JVM options given, which must be those the cache will
# be used with, against the database in the standard QUARKUS_DATASOURCE_* variables (migrated on the way), and serves
# the requests production sees (accounts, transfers of every strategy that is on, keyed repeats, refusals, reads,
# health, metrics), with bearer tokens as production's clients send them (signed here by openssl with a throwaway key
# that only this training run trusts); on exit the JVM writes what it saw, from which CACHE is assembled: the classes loaded and linked,
# and the methods' profiles.
# JAVA chooses the JVM (java by default); TRANSFERS (10000) is the number of transfers per strategy: enough for the
# transfer path to reach the JIT's top tier during training. A short training is worse than none for peak speed: the
# methods it saw only lukewarm start in the JIT's limited-profile tier and stay there long after they are hot.
# Used by docker/Dockerfile.jvm-aot while the image is built, and by bench/startup.sh.
set -euo pipefail

app_dir=$1 cache=$2
shift 2
java=${JAVA:-java}
transfers=${TRANSFERS:-10000}
base="http://localhost:${QUARKUS_HTTP_PORT:-8080}"
management="http://localhost:${QUARKUS_MANAGEMENT_PORT:-9000}"

work=$(mktemp -d)
classes=$work/classes.log
configuration=$cache.config

# base64url WITHOUT padding, of stdin.
base64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
# token SUBJECT [GROUP]: an RS256 token of the training's own key, valid for a day.
token() {
  local groups=${2:+\"$2\"} now unsigned
  now=$(date +%s)
  unsigned=$(printf '{"alg":"RS256","typ":"JWT"}' | base64url).$(printf \
    '{"iss":"https://aot-training.invalid","aud":"bank-transfers","sub":"%s","groups":[%s],"iat":%d,"exp":%d}' \
    "$1" "$groups" "$now" $((now + 86400)) | base64url)
  printf '%s.%s' "$unsigned" "$(printf '%s' "$unsigned" | openssl dgst -sha256 -sign "$work/key.pem" | base64url)"
}
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2> /dev/null
QUARKUS_OIDC_PUBLIC_KEY=$(openssl pkey -in "$work/key.pem" -pubout -outform DER | base64 -w0) \
QUARKUS_OIDC_TOKEN_ISSUER=https://aot-training.invalid QUARKUS_OIDC_TOKEN_AUDIENCE=bank-transfers \
"$java" "$@" -XX:AOTMode=record -XX:AOTConfiguration="$configuration" -Xlog:class+load=info:file="$classes" \
  -jar "$app_dir/quarkus-run.jar" &
service=$!
trap 'if kill "$service" 2> /dev/null; then wait "$service" || true; fi; rm -rf "$work" "$configuration"' EXIT

# await WHAT COMMAND...: runs COMMAND until it succeeds; gives up when the service has stopped or after 180 s.
await() {
  local what=$1 deadline=$((SECONDS + 180))
  shift
  until "$@" 2> /dev/null; do
    kill -0 "$service" 2> /dev/null || { echo "the service stopped before $what" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "no $what after 180 s" >&2; exit 1; }
    sleep 0.1
  done
}
# The aot-jar's entry point is the first sign of its layout.
await "its entry point was loaded" grep -q QuarkusEntryPoint "$classes"
if ! grep -q AotQuarkusEntryPoint "$classes"; then
  echo "$app_dir is not an aot-jar: package it with ./mvnw package -Dquarkus.package.jar.type=aot-jar" >&2
  exit 2
fi
await "it was ready" curl -sf -o /dev/null "$management/q/health/ready"

customer=$(token aot-training)
teller=$(token aot-teller teller)
auditor=$(token aot-auditor auditor)
json=(-H 'Content-Type: application/json' -H "Authorization: Bearer $customer")
post() { curl -s -o /dev/null "${json[@]}" "$@"; }
accounts=()
for ((i = 0; i < 20; i++)); do
  accounts+=("$(curl -sf -H 'Content-Type: application/json' -H "Authorization: Bearer $teller" \
    -d '{"owner":"aot-training","balance":1000000}' "$base/accounts" \
    | sed -nE 's/.*"id":([0-9]+).*/\1/p')")
done
first=${accounts[0]}

# requests STRATEGY: a curl config of TRANSFERS transfers between random pairs of the accounts; one in ten under an
# Idempotency-Key, each of those sent again at the end (a replay, once the first has been answered).
requests() {
  local strategy=$1 i from to key request
  local -a keyed=()
  for ((i = 0; i < transfers; i++)); do
    from=$((RANDOM % 20))
    to=$(((from + 1 + RANDOM % 19) % 20))
    key=()
    ((i % 10 == 0)) && key=("header = \"Idempotency-Key: aot-$strategy-$i\"")
    printf -v request '%s\n' "url = \"$base/transfers/$strategy\"" 'header = "Content-Type: application/json"' \
      "header = \"Authorization: Bearer $customer\"" \
      "data = \"{\\\"from\\\":${accounts[from]},\\\"to\\\":${accounts[to]},\\\"amount\\\":1.00}\"" \
      "${key[@]}" 'output = "/dev/null"'
    ((i > 0)) && echo next
    printf '%s' "$request"
    ((i % 10 == 0)) && keyed+=("$request")
  done
  for request in "${keyed[@]}"; do
    printf 'next\n%s' "$request"
  done
}
unknown_accounts='{"from":999999998,"to":999999999,"amount":1.00}'
for strategy in pessimistic optimistic batched naive; do
  # naive is unknown unless it is on; it is then left out.
  answer=$(curl -s "${json[@]}" -d "$unknown_accounts" "$base/transfers/$strategy")
  [[ $answer == *unknown-strategy* ]] && continue
  # Eight at a time, so that locks are waited for, versions conflict and batches form.
  requests "$strategy" | curl -s --no-progress-meter --parallel --parallel-max 8 -K -
  # The refusals a client meets: too little money, an unknown account, a malformed body.
  post -d "{\"from\":$first,\"to\":${accounts[1]},\"amount\":100000000.00}" "$base/transfers/$strategy"
  post -d "{\"from\":$first,\"to\":999999999,\"amount\":1.00}" "$base/transfers/$strategy"
  post -d '{"from":' "$base/transfers/$strategy"
  # And the refusals of identity: another's account, no token, a token that is not valid here.
  curl -s -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $teller" -d "{\"from\":$first,\"to\":${accounts[1]},\"amount\":1.00}" \
    "$base/transfers/$strategy"
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "$unknown_accounts" "$base/transfers/$strategy"
  curl -s -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer ${customer%?????}" \
    -d "$unknown_accounts" "$base/transfers/$strategy"
done

reader=(-H "Authorization: Bearer $customer")
transfer=$(curl -sf "${reader[@]}" "$base/accounts/$first/transfers" | sed -nE 's/.*"id":([0-9]+).*/\1/p' | head -1)
for path in "accounts?size=20" "accounts/$first" "accounts/$first/transfers" "transfers/${transfer:-1}" \
    q/openapi accounts/999999999; do
  curl -s -o /dev/null "${reader[@]}" "$base/$path"
done
curl -s -o /dev/null -H "Authorization: Bearer $auditor" "$base/audit"
for path in q/health q/metrics; do
  curl -s -o /dev/null "$management/$path"
done

kill -TERM "$service"
wait "$service" || true
# The cache is assembled from what the training recorded, without running the service. Once in four recordings here
# (Temurin 25.0.3, assembled in one step then) the assembly found the configuration invalid and a new recording
# succeeded; whether assembling the same configuration again would have is not known, so it is tried three times.
for attempt in 1 2 3; do
  if "$java" "$@" -XX:AOTMode=create -XX:AOTConfiguration="$configuration" -XX:AOTCache="$cache" \
      -jar "$app_dir/quarkus-run.jar"; then
    exit 0
  fi
  echo "assembling the cache failed (attempt $attempt)" >&2
done
rm -f "$cache"
echo "no cache was written to $cache" >&2
exit 1
