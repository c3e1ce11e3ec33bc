#!/usr/bin/env bash
# Quick, repeatable figures for docs/performance.md: starts the four services from their jars on loopback (fresh
# PostgreSQL database, fresh RabbitMQ vhost, the real Docker engine), then measures warm and cold invocations through
# the gateway next to the two common baselines (`docker run` per call, `docker exec` per call).
#
#   ./mvnw -q -DskipTests package && bench/quick-figures.sh        (needs wrk: apt-get install wrk)
#
# Not the full benchmark harness (open-loop load, repetitions, charts): that is tracked separately.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib.sh
cf_find_jdk
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
java=$JAVA_HOME/bin/java
version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | head -n1)
id=$(date +%s)
db=cf_bench_$id; vhost=cf_bench_$id; work=$(mktemp -d /tmp/cf-bench.XXXXXX)
gw=18800; reg=18801; sch=18802; cm=18803
warm_seconds=${WARM_SECONDS:-15}; cold_runs=${COLD_RUNS:-10}
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 3
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  docker ps -aq --filter "label=io.cloudfunc.manager=bench-$id" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker rm -f "cf-bench-exec-$id" >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres >/dev/null 2>&1 || true
  rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
rabbitmqctl -q add_vhost "$vhost" && rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*"
start() {  # module port args...
  local module=$1 port=$2; shift 2
  "$java" ${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m} -jar "$module/target/$module-$version.jar" --server.port="$port" \
      --spring.rabbitmq.virtual-host="$vhost" "$@" >"$work/$module.log" 2>&1 &
  pids+=($!)
}
start function-registry $reg --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/$db
start scheduler $sch --scheduler.registry-url=http://127.0.0.1:$reg
start container-manager $cm --containers.registry-url=http://127.0.0.1:$reg --containers.socket-root="$work/c" \
    --containers.code-cache="$work/code" --containers.node="bench-$id"
start api-gateway $gw --gateway.registry-url=http://127.0.0.1:$reg --gateway.scheduler-url=http://127.0.0.1:$sch
for port in $reg $sch $cm $gw; do
  for i in $(seq 1 240); do curl -m 2 -fs "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 0.5; done
done
echo "services up (logs in $work)"

base=http://127.0.0.1:$gw
deploy() {  # name
  curl -fsS -o /dev/null -H 'Content-Type: application/json' "$base/functions" \
    -d "{\"name\":\"$1\",\"runtime\":\"python\",\"code\":\"def handler(event):\\n    return event\\n\"}"
}
millis() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== warm invoke through the API (echo function)"
deploy echo
curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{}' "$base/functions/echo/invoke"
cat > "$work/invoke.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"name":"Alice"}'
wrk.headers["Content-Type"] = "application/json"
LUA
echo "(warming up the JIT for ${WARMUP_SECONDS:-60}s)"
wrk -t1 -c1 -d"${WARMUP_SECONDS:-60}s" -s "$work/invoke.lua" "$base/functions/echo/invoke" >/dev/null
for c in 1 8; do
  [ "$c" -gt 1 ] && wrk -t2 -c"$c" -d5s -s "$work/invoke.lua" "$base/functions/echo/invoke" >/dev/null  # containers for c
  echo "-- concurrency $c, ${warm_seconds}s"
  wrk -t$(( c > 1 ? 2 : 1 )) -c"$c" -d"${warm_seconds}s" --latency -s "$work/invoke.lua" "$base/functions/echo/invoke" \
    | grep -E '^\s+(50|90|99)%|Requests/sec|Non-2xx'
done

echo "== cold start through the API (new container, JIT already warm), $cold_runs functions"
for i in $(seq 1 "$cold_runs"); do
  deploy "cold-$i"
  t0=$(millis)
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"n":1}' "$base/functions/cold-$i/invoke"
  echo $(( ($(millis) - t0) / 1000 ))
done > "$work/cold.txt"
echo "cold p50: $(median < "$work/cold.txt" | awk '{printf "%.1f", $1/1000}') ms  (all: $(tr '\n' ' ' < "$work/cold.txt" | awk '{for(i=1;i<=NF;i++) printf "%.0f ", $i/1000}')ms)"

echo "== memory (RSS) of each service after the load"
for i in "${!pids[@]}"; do
  name=(function-registry scheduler container-manager api-gateway)
  echo "${name[$i]}: $(( $(ps -o rss= -p "${pids[$i]}") / 1024 )) MiB"
done
echo "containers: $(docker ps -q --filter "label=io.cloudfunc.manager=bench-$id" | wc -l) warm"

echo "== baseline: docker run --rm -i per call (seed 004's design), 10 calls"
for i in $(seq 1 10); do
  t0=$(millis)
  echo '{"name":"Alice"}' | docker run --rm -i --network none python:3.13-slim \
      python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' >/dev/null
  echo $(( ($(millis) - t0) / 1000 ))
done | median | awk '{printf "docker run p50: %.1f ms\n", $1/1000}'

echo "== baseline: docker exec -i per call in a running container, 20 calls"
docker run -d --name "cf-bench-exec-$id" --network none python:3.13-slim sleep 600 >/dev/null
for i in $(seq 1 20); do
  t0=$(millis)
  echo '{"name":"Alice"}' | docker exec -i "cf-bench-exec-$id" \
      python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' >/dev/null
  echo $(( ($(millis) - t0) / 1000 ))
done | median | awk '{printf "docker exec p50: %.1f ms\n", $1/1000}'
