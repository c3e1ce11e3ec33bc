#!/usr/bin/env bash
# CloudFunc benchmark harness: builds what it needs, starts the platform in its fastest local mode (the four
# services as JVM processes on loopback, a fresh PostgreSQL database and RabbitMQ vhost, containers through the
# real Docker engine), runs the scenarios from a separate load-generator JVM and writes
# bench/results/<timestamp>/{report.md,report.json,*.png}. A full run also rewrites the generated part of
# docs/performance.md (between its markers) and docs/performance/*.png.
#
#   bench/run                          full run, about 12 minutes
#   bench/run --smoke                  every scenario with tiny counts (< 3 minutes); checks figures exist; CI runs it
#   bench/run --scenarios warm,baselines
#
# Options: --smoke, --scenarios LIST (warm,throughput,cold,async,burst,memory,runtimes,baselines), --no-build (use
# the jars already built), --no-docs (leave docs/performance.md alone), --docs (update it in a smoke run too),
# --profile (a JFR recording of each service, written to the results folder's jfr/ when the platform stops).
# Environment: BENCH_JAVA_OPTS and MALLOC_ARENA_MAX (the services' JVM options and malloc arenas; default: the
# compose file's), BENCH_SERVICE_ARGS (extra arguments for every service), BENCH_NODE_HANDLER / BENCH_JAVA_HANDLER
# (handlers of the Node and Java echo).
# Needs: a JDK 25, a Docker engine, PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and RabbitMQ on
# 127.0.0.1:5672 with rabbitmqctl (see README, Prerequisites). All traffic stays on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source bin/lib.sh

smoke=false build=true docs=auto scenarios="" profile=false
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=true ;;
    --no-build) build=false ;;
    --no-docs) docs=no ;;
    --docs) docs=yes ;;
    --profile) profile=true ;;
    --scenarios) scenarios=${2:?--scenarios needs a list}; shift ;;
    --scenarios=*) scenarios=${1#*=} ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run: unknown option $1 (see bench/run --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$docs" = auto ] && { $smoke && docs=no || docs=yes; }

say() { printf '[bench/run] %s\n' "$*"; }
cf_find_jdk
java=$JAVA_HOME/bin/java
docker info >/dev/null 2>&1 || { echo "bench/run: no Docker engine answers (see README, Prerequisites)" >&2; exit 1; }
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "bench/run: PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
command -v rabbitmqctl >/dev/null || { echo "bench/run: rabbitmqctl is missing (RabbitMQ on this machine)" >&2; exit 1; }

say "images: base python:3.13-slim and the runtime images"
cf_ensure_base_images python:3.13-slim
cf_build_runtime_images
version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | head -n1)
services=(function-registry scheduler container-manager api-gateway)
if $build; then
  say "building the services and the harness (./mvnw -DskipTests package)"
  ./mvnw -q -B -ntp -DskipTests package -pl "$(IFS=,; echo "${services[*]}"),bench" -am
fi
for module in "${services[@]}"; do
  [ -f "$module/target/$module-$version.jar" ] || { echo "bench/run: $module/target/$module-$version.jar is missing (drop --no-build)" >&2; exit 1; }
done
bench_jar=bench/target/bench-$version-all.jar
[ -f "$bench_jar" ] || { echo "bench/run: $bench_jar is missing (drop --no-build)" >&2; exit 1; }

id=$(date +%s)-$$
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$root/bench/results/$stamp
db=cf_bench_${id//-/_}; vhost=cf_bench_$id; node=bench-$id
work=$(mktemp -d /tmp/cf-bench.XXXXXX)
mkdir -p "$results" "$work/containers" "$work/code-cache"
# auth: the services accept this admin key and the harness sends it on every call (harmless before auth exists)
CLOUDFUNC_BOOTSTRAP_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export CLOUDFUNC_BOOTSTRAP_KEY
pids=()

cleanup() {
  set +e
  say "stopping the platform"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
  # only containers this run created: its manager's node label and the baselines' own label
  docker ps -aq --filter "label=io.cloudfunc.manager=$node" | xargs -r docker rm -f >/dev/null 2>&1
  docker ps -aq --filter "label=io.cloudfunc.bench=$node" | xargs -r docker rm -f >/dev/null 2>&1
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres >/dev/null 2>&1
  rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1
  mkdir -p "$results/logs" && cp "$work"/*.log "$results/logs/" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Four different ports below the kernel's ephemeral range (outgoing connections take those: a port free when
# checked could be some client's by the time its service binds it), each used by no socket now.
low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
ports=()
while [ ${#ports[@]} -lt 4 ]; do
  port=$(( 10000 + RANDOM % (low - 10000) ))
  [[ " ${ports[*]} " == *" $port "* ]] && continue
  ss -tanH "sport = :$port" | grep -q . || ports+=("$port")
done
reg=${ports[0]}; sch=${ports[1]}; cm=${ports[2]}; gw=${ports[3]}

say "fresh database $db and RabbitMQ vhost $vhost"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres >/dev/null
rabbitmqctl -q add_vhost "$vhost" >/dev/null && rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null

# the compose file's JVM options and malloc setting (BENCH_JAVA_OPTS / MALLOC_ARENA_MAX override them)
java_opts=${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:TrimNativeHeapInterval=5000}
malloc_arenas=${MALLOC_ARENA_MAX:-2}
start() {  # module port args...
  local module=$1 port=$2 jfr=""; shift 2
  if $profile; then
    mkdir -p "$results/jfr"
    jfr="-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$results/jfr/$module.jfr"
  fi
  local extra_var="BENCH_JAVA_OPTS_${module//-/_}"
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=$malloc_arenas "$java" $java_opts ${!extra_var:-} $jfr -jar "$module/target/$module-$version.jar" --server.port="$port" \
      --spring.rabbitmq.virtual-host="$vhost" "$@" ${BENCH_SERVICE_ARGS:-} >"$work/$module.log" 2>&1 &
  pids+=($!)
}
say "starting the four services on 127.0.0.1 (JVM options: $java_opts)"
start function-registry "$reg" --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres
start scheduler "$sch" --scheduler.registry-url="http://127.0.0.1:$reg"
start container-manager "$cm" --containers.registry-url="http://127.0.0.1:$reg" \
    --containers.socket-root="$work/containers" --containers.code-cache="$work/code-cache" --containers.node="$node"
start api-gateway "$gw" --gateway.registry-url="http://127.0.0.1:$reg" --gateway.scheduler-url="http://127.0.0.1:$sch"
ports=("$reg" "$sch" "$cm" "$gw")
for i in "${!services[@]}"; do
  up=false
  for _ in $(seq 1 360); do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "bench/run: ${services[$i]} exited; its log:" >&2; tail -n 40 "$work/${services[$i]}.log" >&2; exit 1; }
    curl -m 2 -fs "http://127.0.0.1:${ports[$i]}/actuator/health" >/dev/null && { up=true; break; }
    sleep 0.5
  done
  $up || { echo "bench/run: ${services[$i]} not healthy within 180 s; log: $work/${services[$i]}.log" >&2; exit 1; }
  say "${services[$i]} up on :${ports[$i]}"
done

args=(--gateway "http://127.0.0.1:$gw" --node "$node" --results "$results" --work "$work")
for i in "${!services[@]}"; do args+=(--service "${services[$i]}=${pids[$i]}"); done
$smoke && args+=(--smoke)
[ -n "$scenarios" ] && args+=(--scenarios "$scenarios")
[ "$docs" = yes ] && args+=(--docs "$root/docs/performance.md" --docs-images "$root/docs/performance")
args+=(--env "machine=$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
       --env "docker=$(docker version --format '{{.Server.Version}}' 2>/dev/null)"
       --env "services' JVM=$("$java" -version 2>&1 | head -n1 | tr -d '"'), $java_opts, MALLOC_ARENA_MAX=$malloc_arenas"
       --env "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
       --env "load average before the run (other work on the machine)=$(cut -d' ' -f1-3 /proc/loadavg)")
say "load generator: its own JVM; results in ${results#"$root"/}"
echo "GATEWAY http://127.0.0.1:$gw KEY $CLOUDFUNC_BOOTSTRAP_KEY"; echo "WORK $work"; sleep ${HOLD:-900}; exit 0

for f in report.md report.json; do
  [ -s "$results/$f" ] || { echo "bench/run: $results/$f was not written" >&2; exit 1; }
done
ls "$results"/*.png >/dev/null 2>&1 || { echo "bench/run: no chart was written" >&2; exit 1; }
say "done: ${results#"$root"/}/report.md"
