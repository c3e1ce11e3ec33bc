#!/usr/bin/env bash
# Builds local equivalents of the public base images CloudFunc uses, from Debian packages, for machines that
# cannot reach an image registry (air-gapped sites, this project's CI). Each image is tagged with the public
# name, so every Dockerfile and docker-compose.yml works unchanged. Images that already exist are kept.
#
#   runtimes/base-images/build-local-base-images.sh [IMAGE...]     (default: all of them)
#
# Needs root, debootstrap and a running Docker engine. MIRROR overrides the Debian mirror (default: the one apt uses).
set -euo pipefail
export DOCKER_BUILDKIT=0

here=$(cd "$(dirname "$0")" && pwd)
suite=${SUITE:-trixie}
mirror=${MIRROR:-$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null \
    | grep -v security | head -n1 | awk '{print $2}' || true)}
mirror=${mirror:-http://deb.debian.org/debian}
cache=${CACHE_DIR:-/var/cache/cloudfunc-base-images}

# public name -> Debian packages to include, and a Dockerfile fragment that gives the image its public interface
declare -A packages=(
  [python:3.13-slim]="python3"
  [node:22-slim]="nodejs"  # npm fails to configure under debootstrap; functions get their npm packages at deploy (CLI)
  [eclipse-temurin:25-jre]="openjdk-25-jre-headless"
  [postgres:17]="postgresql-17,gosu"
  [rabbitmq:4-management]="rabbitmq-server"
)
all=("python:3.13-slim" "eclipse-temurin:25-jre" "postgres:17" "rabbitmq:4-management" "node:22-slim")
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${all[@]}")

docker info >/dev/null 2>&1 || { echo "no Docker engine answers on ${DOCKER_HOST:-/var/run/docker.sock}" >&2; exit 1; }

workdir=""
trap '[ -z "$workdir" ] || rm -rf "$workdir" "$workdir.log"' EXIT

rootfs_image() {  # a plain Debian root filesystem with the given packages, imported as NAME
  local name=$1 include=$2
  command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
  workdir=$(mktemp -d "${TMPDIR:-/tmp}/cloudfunc-rootfs.XXXXXX")
  echo ">> debootstrap $suite with $include -> $name"
  timeout 30m debootstrap --variant=minbase --include="ca-certificates,$include" "$suite" "$workdir" "$mirror" \
      >"$workdir.log" 2>&1 || { tail -n 20 "$workdir.log" >&2; exit 1; }
  rm -rf "$workdir"/var/cache/apt/archives/*.deb "$workdir"/var/lib/apt/lists/*
  tar -C "$workdir" -c . | docker import - "$name" >/dev/null
  rm -rf "$workdir" "$workdir.log"
  workdir=""
}

recipe() {  # what the image's last layer is made of: its Dockerfile and the scripts beside it that it copies
  local file
  for file in "$here/${1%%:*}.Dockerfile" "$here/${1%%:*}"-*.sh; do
    if [ -f "$file" ]; then cat "$file"; fi
  done | sha256sum | cut -c1-16
}

for image in "${wanted[@]}"; do
  raw="cloudfunc-local/rootfs-${image//[:\/]/-}"
  if docker image inspect "$image" >/dev/null 2>&1; then
    # a pulled image, or a local build of the current recipe, is kept; a local build of an older recipe is built
    # again on its root filesystem (minutes of debootstrap saved)
    built=$(docker image inspect -f '{{index .Config.Labels "io.cloudfunc.recipe"}}' "$image" 2>/dev/null || true)
    if ! docker image inspect "$raw" >/dev/null 2>&1 || [ "$built" = "$(recipe "$image")" ]; then
      continue  # kept, quietly: this runs before every test run and platform start
    fi
    echo ">> $image was built from an older recipe"
  fi
  include=${packages[$image]:-}
  [ -n "$include" ] || { echo "unknown base image: $image" >&2; exit 1; }
  docker image inspect "$raw" >/dev/null 2>&1 || rootfs_image "$raw" "$include"
  echo ">> docker build $image"
  rebuilt=yes
  docker build -q -t "$image" --build-arg ROOTFS="$raw" --label io.cloudfunc.recipe="$(recipe "$image")" \
      -f "$here/${image%%:*}.Dockerfile" "$here" >/dev/null
done
[ -z "${rebuilt:-}" ] || echo "base images ready: ${wanted[*]}"
