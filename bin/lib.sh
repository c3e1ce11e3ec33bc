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

# Runs a command and shows its output (stdout and stderr) only when it fails: builds and installs print notices and
# progress a person does not need (the legacy builder's deprecation notice, apt's and needrestart's chatter).
cf_quiet() {
  local log status=0
  log=$("$@" 2>&1) || status=$?
  if [ $status -ne 0 ]; then
    printf '%s\n' "$log" | tail -n 40 >&2
    echo "failed ($status): $*" >&2
  fi
  return $status
}

# Installs Debian packages, quietly (cf_quiet): without questions, and without needrestart's scan of the machine.
cf_apt_install() {
  cf_quiet apt-get update -q || return
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 NEEDRESTART_MODE=l cf_quiet apt-get install -y -q "$@"
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
  cf_apt_install docker-compose
}

# Installs (Debian's docker.io) and starts a Docker engine if none answers; waits until it does.
cf_ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo ">> installing Docker engine (docker.io)"
    cf_apt_install docker.io
    # the package's own scripts may have started an engine already
    sleep 2
    docker info >/dev/null 2>&1 && return 0
  fi
  echo ">> starting dockerd (log: /var/log/cloudfunc-dockerd.log)"
  # no descriptor of the caller goes with it (a lock held by the caller, e.g. `flock file cmd`, would be held for as
  # long as the daemon runs)
  nohup dockerd >/var/log/cloudfunc-dockerd.log 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  local i
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not come up; see /var/log/cloudfunc-dockerd.log" >&2
  return 1
}

# The line of runtimes/base-images/images for a public base image, or for the local build standing in for it.
cf_base_image_entry() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  awk -F'|' -v image="$1" '!/^#/ && ($1 == image || $3 == image) { print; found = 1; exit } END { exit !found }' \
      "$root/runtimes/base-images/images"
}

# Makes sure each named public base image, or the local build that stands in for it, exists, and exports the
# image's variable (runtimes/base-images/images: PYTHON_BASE_IMAGE, NODE_BASE_IMAGE, JAVA_BASE_IMAGE, POSTGRES_IMAGE,
# RABBITMQ_IMAGE) naming the one to use: the public image when it is here or can be pulled, else the local build
# (made from Debian packages by runtimes/base-images/build-local-base-images.sh, named for what it contains, e.g.
# cloudfunc-local/node:20-trixie). A local build already here is used without asking a registry; remove it
# (docker rmi) to switch to the public image.
cf_ensure_base_images() {
  local root public variable local_image build=()
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  for public in "$@"; do
    IFS='|' read -r _ variable local_image _ < <(cf_base_image_entry "$public") \
      || { echo "unknown base image: $public (see runtimes/base-images/images)" >&2; return 1; }
    if docker image inspect "$public" >/dev/null 2>&1 && [ -z "$(cf_local_recipe "$public")" ]; then
      export "$variable=$public"
    elif docker image inspect "$local_image" >/dev/null 2>&1; then
      export "$variable=$local_image"
      build+=("$public") # the build script rebuilds it if its recipe changed, else keeps it (quietly)
    # a registry that answers gets 5 minutes per image; an unreachable one fails at once
    elif timeout 300 docker pull -q "$public" >/dev/null 2>&1; then
      export "$variable=$public"
    else
      export "$variable=$local_image"
      build+=("$public")
    fi
    if [ "${!variable}" != "$public" ] && [ -n "$(cf_local_recipe "$public")" ]; then
      echo "note: $public here is a local build by an older CloudFunc, not that image; CloudFunc now uses" \
        "$local_image. Remove the old tag with: docker rmi $public" >&2
    fi
  done
  [ ${#build[@]} -eq 0 ] && return 0
  command -v debootstrap >/dev/null 2>&1 || cf_apt_install debootstrap
  "$root/runtimes/base-images/build-local-base-images.sh" "${build[@]}"
}

# The recipe label of a local build (empty for an image pulled from a registry).
cf_local_recipe() {
  docker image inspect -f '{{index .Config.Labels "io.cloudfunc.recipe"}}' "$1" 2>/dev/null || true
}

# Checks that each image runs the version its tag says (python:3.13-slim: Python 3.13.x; cloudfunc-local/node:20-
# trixie: Node 20.x), with the version command of runtimes/base-images/images. Images are named by their public name
# (the one cf_ensure_base_images chose for it is checked) or their own.
cf_check_base_images() {
  local image variable command tag wanted actual failed=0
  for image in "$@"; do
    IFS='|' read -r _ variable _ _ command < <(cf_base_image_entry "$image") \
      || { echo "unknown base image: $image" >&2; return 1; }
    [ "${!variable:-}" ] && [ "$(cf_base_image_entry "${!variable}" | cut -d'|' -f1)" = "$image" ] && image=${!variable}
    tag=${image##*:}
    wanted=$(sed -E 's/^([0-9]+(\.[0-9]+)*).*/\1/' <<<"$tag")
    actual=$(docker run --rm --network none --entrypoint sh "$image" -c "$command" 2>/dev/null | head -n1)
    case "$actual" in
      "$wanted" | "$wanted".* | "$wanted"-*) echo "$image runs $actual" ;;
      *) echo "$image runs version '${actual:-unknown}', not the $wanted its tag says" >&2; failed=1 ;;
    esac
  done
  return $failed
}

# (Re)builds the function runtime images on the base images cf_ensure_base_images chose; Docker's layer cache makes an unchanged rebuild take a second. The Java
# image copies the runtime jar Maven builds (runtimes/java/runtime): it is built first when missing or older than
# its sources (needs cf_find_jdk's JAVA_HOME).
cf_build_runtime_images() {
  local root jar
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  DOCKER_BUILDKIT=0 cf_quiet docker build -q -t cloudfunc/runtime-python:latest \
    --build-arg BASE_IMAGE="${PYTHON_BASE_IMAGE:-python:3.13-slim}" "$root/runtimes/python"
  DOCKER_BUILDKIT=0 cf_quiet docker build -q -t cloudfunc/runtime-node:latest \
    --build-arg BASE_IMAGE="${NODE_BASE_IMAGE:-node:22-slim}" "$root/runtimes/node"
  jar="$root/runtimes/java/runtime/target/cloudfunc-java-runtime.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/runtimes/java/runtime/src/main" "$root/runtimes/java/function-api/src/main" \
      "$root/runtimes/java/runtime/pom.xml" -newer "$jar" -print -quit)" ]; then
    (cd "$root" && ./mvnw -q -pl runtimes/java/runtime -am package -DskipTests)
  fi
  DOCKER_BUILDKIT=0 cf_quiet docker build -q -t cloudfunc/runtime-java:latest \
    --build-arg BASE_IMAGE="${JAVA_BASE_IMAGE:-eclipse-temurin:25-jre}" "$root/runtimes/java"
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
