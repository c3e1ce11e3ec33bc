# Shared shell helpers for bin/* and .ci/run. Source it; it defines functions only.

# Finds a JDK >= 25 (JAVA_HOME, then java on the PATH, then /usr/lib/jvm/*) and exports JAVA_HOME.
cf_find_jdk() {
  local candidate home major
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${major:-0}" -ge 25 ] 2>/dev/null && [ -x "$(dirname "$candidate")/javac" ]; then
      home=$(cd "$(dirname "$(readlink -f "$candidate")")/.." && pwd)
      export JAVA_HOME=$home
      return 0
    fi
  done
  echo "CloudFunc needs a JDK 25 or newer: none found in JAVA_HOME, on the PATH or under /usr/lib/jvm" >&2
  return 1
}

# `docker compose` where the v2 plugin exists, else Debian's docker-compose 1.29.
cf_compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

# Installs Debian's docker-compose when neither `docker compose` nor `docker-compose` is there.
cf_ensure_compose() {
  docker compose version >/dev/null 2>&1 && return 0
  command -v docker-compose >/dev/null 2>&1 && return 0
  echo ">> installing docker-compose"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null
}

# Installs (Debian's docker.io) and starts a Docker engine if none answers; waits until it does.
cf_ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo ">> installing Docker engine (docker.io)"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null
    # the package's own scripts may have started an engine already
    sleep 2
    docker info >/dev/null 2>&1 && return 0
  fi
  echo ">> starting dockerd (log: /var/log/cloudfunc-dockerd.log)"
  nohup dockerd >/var/log/cloudfunc-dockerd.log 2>&1 &
  local i
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not come up; see /var/log/cloudfunc-dockerd.log" >&2
  return 1
}

# Makes sure each named base image exists: pulled from a registry where one answers, else built locally from
# Debian packages (runtimes/base-images/build-local-base-images.sh).
cf_ensure_base_images() {
  local root missing=() image  # missing: to build, or (local builds) to check against their recipe
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  for image in "$@"; do
    if docker image inspect "$image" >/dev/null 2>&1; then
      # a local build (its root filesystem is here) goes to the build script, which rebuilds it if its recipe changed
      docker image inspect "cloudfunc-local/rootfs-${image//[:\/]/-}" >/dev/null 2>&1 && missing+=("$image")
      continue
    fi
    # a registry that answers gets 5 minutes per image; an unreachable one fails at once
    timeout 300 docker pull -q "$image" >/dev/null 2>&1 || missing+=("$image")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v debootstrap >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  }
  "$root/runtimes/base-images/build-local-base-images.sh" "${missing[@]}"
}

# (Re)builds the function runtime images; Docker's layer cache makes an unchanged rebuild take a second. The Java
# image copies the runtime jar Maven builds (runtimes/java/runtime): it is built first when missing or older than
# its sources (needs cf_find_jdk's JAVA_HOME).
cf_build_runtime_images() {
  local root jar
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  DOCKER_BUILDKIT=0 docker build -q -t cloudfunc/runtime-python:latest "$root/runtimes/python" >/dev/null
  DOCKER_BUILDKIT=0 docker build -q -t cloudfunc/runtime-node:latest "$root/runtimes/node" >/dev/null
  jar="$root/runtimes/java/runtime/target/cloudfunc-java-runtime.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/runtimes/java/runtime/src/main" "$root/runtimes/java/function-api/src/main" \
      "$root/runtimes/java/runtime/pom.xml" -newer "$jar" -print -quit)" ]; then
    (cd "$root" && ./mvnw -q -pl runtimes/java/runtime -am package -DskipTests)
  fi
  DOCKER_BUILDKIT=0 docker build -q -t cloudfunc/runtime-java:latest "$root/runtimes/java" >/dev/null
}

# Removes the bridge network a container-manager creates through the Docker API for functions deployed with
# `network: outbound` (compose does not know it, so `down` leaves it): only a network the manager made (label
# io.cloudfunc.managed=true), only when no container, running or stopped, is attached to it, and only when no
# container-manager of another compose stack on this engine uses that network name (it set the network up once and
# would not do it again).
cf_remove_outbound_network() {
  local network=$1 managed users managers=0 id configured
  docker network inspect "$network" >/dev/null 2>&1 || return 0
  managed=$(docker network inspect -f '{{index .Labels "io.cloudfunc.managed"}}' "$network")
  if [ "$managed" != true ]; then
    echo "kept network $network: CloudFunc did not create it" >&2
    return 0
  fi
  users=$(docker ps -aq --filter "network=$network" | wc -l)
  for id in $(docker ps -q --filter label=com.docker.compose.service=container-manager); do
    configured=$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$id" \
      | sed -n 's/^CONTAINERS_ISOLATION_OUTBOUND_NETWORK=//p')
    [ "${configured:-cloudfunc-outbound}" = "$network" ] && managers=$((managers + 1))
  done
  if [ "$users" -gt 0 ] || [ "$managers" -gt 0 ]; then
    echo "kept network $network: in use ($users container(s) attached, $managers container-manager(s) running)" >&2
    return 0
  fi
  if docker network rm "$network" >/dev/null 2>&1; then
    echo "removed network $network"
  else
    echo "kept network $network: docker network rm failed (a container joined it meanwhile?)" >&2
  fi
}
