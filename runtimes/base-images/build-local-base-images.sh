#!/usr/bin/env bash
# Builds local stand-ins for the public base images CloudFunc uses, from Debian packages, for machines that cannot
# reach an image registry (air-gapped sites, this project's CI). Each is named for what it contains
# (runtimes/base-images/images: node:22-slim -> cloudfunc-local/node:20-trixie, Debian's Node 20), never with the
# public name; bin/lib.sh's cf_ensure_base_images passes it to the Dockerfiles (ARG BASE_IMAGE) and to
# docker-compose.yml. Each build is checked to run the version its tag says. Images already built are kept.
#
#   runtimes/base-images/build-local-base-images.sh [PUBLIC-IMAGE...]     (default: all of them)
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

source "$here/../../bin/lib.sh"
# public name -> the local build's name and the Debian packages it is made of (node: npm fails to configure under
# debootstrap; functions get their npm packages at deploy, from the CLI)
declare -A local_name=() packages=()
all=()
while IFS='|' read -r public _ local_image include _; do
  local_name[$public]=$local_image
  packages[$public]=$include
  all+=("$public")
done < <(grep -v '^#' "$here/images")
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

for public in "${wanted[@]}"; do
  image=${local_name[$public]:-}
  [ -n "$image" ] || { echo "unknown base image: $public (see runtimes/base-images/images)" >&2; exit 1; }
  raw="cloudfunc-local/rootfs-${image#cloudfunc-local/}"
  raw=${raw//:/-}
  old_raw="cloudfunc-local/rootfs-${public//[:\/]/-}"  # an older CloudFunc named it after the public image
  if ! docker image inspect "$raw" >/dev/null 2>&1 && docker image inspect "$old_raw" >/dev/null 2>&1; then
    docker tag "$old_raw" "$raw" && docker rmi "$old_raw" >/dev/null
  fi
  if docker image inspect "$image" >/dev/null 2>&1; then
    # a pulled image, or a local build of the current recipe, is kept; a local build of an older recipe is built
    # again on its root filesystem (minutes of debootstrap saved)
    if ! docker image inspect "$raw" >/dev/null 2>&1 || [ "$(cf_local_recipe "$image")" = "$(recipe "$public")" ]; then
      continue  # kept, quietly: this runs before every test run and platform start
    fi
    echo ">> $image was built from an older recipe"
  fi
  docker image inspect "$raw" >/dev/null 2>&1 || rootfs_image "$raw" "${packages[$public]}"
  echo ">> docker build $image (stands in for $public)"
  rebuilt=yes
  # its output (and the legacy builder's deprecation notice) only when it fails
  log=$(docker build -q -t "$image" --build-arg ROOTFS="$raw" --label io.cloudfunc.recipe="$(recipe "$public")" \
      -f "$here/${public%%:*}.Dockerfile" "$here" 2>&1) || { echo "$log" >&2; exit 1; }
  # named for what it contains: a Debian that moved on to another version must not pass unnoticed
  cf_check_base_images "$image" >/dev/null || { docker rmi "$image" >/dev/null; exit 1; }
done
[ -z "${rebuilt:-}" ] || echo "base images ready: ${wanted[*]}"
