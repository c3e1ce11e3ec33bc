#!/usr/bin/env bash
# Builds local stand-ins for the public base images CloudFunc uses, from Debian packages, for machines that cannot
# reach an image registry (air-gapped sites, this project's CI). Each is named for what it contains
# (runtimes/base-images/images: node:22-slim -> cloudfunc-local/node:20-trixie, Debian's Node 20), never with the
# public name; bin/lib.sh's cf_ensure_base_images passes it to the Dockerfiles (ARG BASE_IMAGE) and to
# docker-compose.yml. Each build is checked to run the version its tag says. Images already built are kept.
#
#   runtimes/base-images/build-local-base-images.sh [PUBLIC-IMAGE...]     (default: all of them)
#
# All of them share one Debian root filesystem: one minbase debootstrap, imported once as cloudfunc-local/debian:
# SUITE-minbase and kept as the cache of later builds. On it each image gets its Debian packages (debian-packages.
# Dockerfile: cloudfunc-local/rootfs-NAME, one layer) and then its own Dockerfile (NAME.Dockerfile), the images side
# by side, as none depends on another. An image is built again when its Dockerfile (label io.cloudfunc.recipe), its
# packages (io.cloudfunc.packages) or debian-packages.Dockerfile (io.cloudfunc.packages-recipe) changed; only the last
# layer when just its own Dockerfile did.
#
# Needs root, debootstrap and a running Docker engine. MIRROR overrides the Debian mirror (default: the one apt uses);
# the image builds reach it over the host's network.
set -euo pipefail
export DOCKER_BUILDKIT=0

here=$(cd "$(dirname "$0")" && pwd)
suite=${SUITE:-trixie}
mirror=${MIRROR:-$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null \
    | grep -v security | head -n1 | awk '{print $2}' || true)}
mirror=${mirror:-http://deb.debian.org/debian}
root_image="cloudfunc-local/debian:$suite-minbase"

source "$here/../../bin/lib.sh"
# public name -> the local build's name and the Debian packages it is made of, comma-separated (node: without npm;
# functions get their npm packages at deploy)
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

# One build at a time on this engine (two test runs starting together would debootstrap twice and tag over each other).
exec 9>"${TMPDIR:-/tmp}/cloudfunc-base-images.lock"
flock 9

workdir=""
logs=$(mktemp -d "${TMPDIR:-/tmp}/cloudfunc-base-images.XXXXXX")
trap '[ -z "$workdir" ] || rm -rf "$workdir"; rm -rf "$logs"' EXIT

label() {  # the value of label $2 on image $1, empty when the image or the label is missing
  docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true
}

recipe() {  # what the image's last layer is made of: its Dockerfile and the scripts beside it that it copies
  local file
  for file in "$here/${1%%:*}.Dockerfile" "$here/${1%%:*}"-*.sh; do
    if [ -f "$file" ]; then cat "$file"; fi
  done | sha256sum | cut -c1-16
}
packages_recipe=$(sha256sum < "$here/debian-packages.Dockerfile" | cut -c1-16)  # how the packages layer is made

root_filesystem() {  # the shared Debian root: minbase and CA certificates, imported as $root_image
  command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
  workdir=$(mktemp -d "${TMPDIR:-/tmp}/cloudfunc-rootfs.XXXXXX")
  echo ">> debootstrap $suite (minbase) -> $root_image, the root all local base images share"
  timeout 30m debootstrap --variant=minbase --include=ca-certificates "$suite" "$workdir/root" "$mirror" \
      >"$logs/debootstrap.log" 2>&1 || { tail -n 20 "$logs/debootstrap.log" >&2; exit 1; }
  rm -rf "$workdir"/root/var/cache/apt/archives/*.deb "$workdir"/root/var/lib/apt/lists/*
  tar -C "$workdir/root" -c . | docker import - "$root_image" >/dev/null
  rm -rf "$workdir"
  workdir=""
}

remove_if_unused() {  # an image a rebuild replaced: removed unless it still has a name or a container uses it
  [ -n "$1" ] && [ "$(docker image inspect -f '{{len .RepoTags}}' "$1" 2>/dev/null)" = 0 ] || return 0
  docker rmi "$1" >/dev/null 2>&1 || true
}

build() {  # PUBLIC: its packages on the shared root (unless that layer is current), then its own Dockerfile
  local public=$1 image=${local_name[$1]} include=${packages[$1]} raw old_raw="" old_image
  raw="cloudfunc-local/rootfs-${image#cloudfunc-local/}"
  raw=${raw//:/-}
  old_image=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  if [ "$(label "$raw" io.cloudfunc.packages)" != "$include" ] \
      || [ "$(label "$raw" io.cloudfunc.packages-recipe)" != "$packages_recipe" ]; then
    old_raw=$(docker image inspect -f '{{.Id}}' "$raw" 2>/dev/null || true)
    # the host's network: the mirror apt uses here may be one only the host reaches (a proxy on localhost)
    docker build -q --network host -t "$raw" --build-arg ROOTFS="$root_image" --build-arg PACKAGES="${include//,/ }" \
        --label io.cloudfunc.packages="$include" --label io.cloudfunc.packages-recipe="$packages_recipe" \
        -f "$here/debian-packages.Dockerfile" "$here"
  fi
  docker build -q -t "$image" --build-arg ROOTFS="$raw" --label io.cloudfunc.recipe="$(recipe "$public")" \
      --label io.cloudfunc.packages="$include" --label io.cloudfunc.packages-recipe="$packages_recipe" \
      -f "$here/${public%%:*}.Dockerfile" "$here"
  # named for what it contains: a Debian that moved on to another version must not pass unnoticed
  cf_check_base_images "$image" || { docker rmi "$image" >/dev/null; return 1; }
  remove_if_unused "$old_image"
  remove_if_unused "$old_raw"
}

todo=()
for public in "${wanted[@]}"; do
  image=${local_name[$public]:-}
  [ -n "$image" ] || { echo "unknown base image: $public (see runtimes/base-images/images)" >&2; exit 1; }
  if docker image inspect "$image" >/dev/null 2>&1; then
    if [ "$(label "$image" io.cloudfunc.recipe)" = "$(recipe "$public")" ] \
        && [ "$(label "$image" io.cloudfunc.packages)" = "${packages[$public]}" ] \
        && [ "$(label "$image" io.cloudfunc.packages-recipe)" = "$packages_recipe" ]; then
      continue  # kept, quietly: this runs before every test run and platform start
    fi
    echo ">> $image was built from an older recipe or other packages"
  fi
  todo+=("$public")
done
[ ${#todo[@]} -gt 0 ] || exit 0

docker image inspect "$root_image" >/dev/null 2>&1 || root_filesystem
pids=()
for public in "${todo[@]}"; do
  echo ">> docker build ${local_name[$public]} (stands in for $public: ${packages[$public]//,/ })"
  # its output (and the legacy builder's deprecation notice) only when it fails
  build "$public" >"$logs/${public%%:*}.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!todo[@]}"; do
  if ! wait "${pids[$i]}"; then
    tail -n 30 "$logs/${todo[$i]%%:*}.log" >&2
    echo "failed: the local build standing in for ${todo[$i]}" >&2
    failed=1
  fi
done
[ $failed = 0 ] || exit 1
echo "base images ready: ${todo[*]}"
