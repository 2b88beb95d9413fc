#!/usr/bin/env bash
# Builds the base image gridrun/python:3-debian from Debian packages, without any registry:
# debootstrap --variant=minbase of bookworm with python3 from the Debian mirror this machine's apt
# uses, then `docker import`. A cache: nothing happens when the image exists; the root file system
# tarball is kept under $GRIDRUN_CACHE (default /var/cache/gridrun as root, else
# ~/.cache/gridrun), so re-importing it after the image was removed takes seconds.
# First build: about a minute or two (download + unpack of ~150 packages). Usage:
#   scripts/python-image.sh [image] [--force]
#   scripts/python-image.sh --notebook   also gridrun/python:3-debian-notebook (the base plus
#                                        Debian's nbclient, nbconvert, ipykernel), for the tests
set -euo pipefail
IMAGE=gridrun/python:3-debian
FORCE=0
NOTEBOOK=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --notebook) NOTEBOOK=1 ;;
    *) IMAGE=$arg ;;
  esac
done

notebook_image() {
  local tag=gridrun/python:3-debian-notebook
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "$tag present"
    return 0
  fi
  local ctx
  ctx=$(mktemp -d)
  printf 'FROM %s\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-nbclient python3-nbconvert python3-ipykernel && apt-get clean && rm -rf /var/lib/apt/lists/*\n' "$IMAGE" >"$ctx/Dockerfile"
  echo "building $tag (apt-get inside the build, host network; a minute or two, once)"
  docker build -q --network host -t "$tag" "$ctx" >/dev/null
  rm -rf "$ctx"
  echo "built $tag"
}
if [ "$NOTEBOOK" = 1 ] && [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  notebook_image
  exit 0
fi
SUITE=${GRIDRUN_DEBIAN_SUITE:-bookworm}
if [ "$(id -u)" = 0 ]; then default_cache=/var/cache/gridrun; else default_cache=$HOME/.cache/gridrun; fi
CACHE=${GRIDRUN_CACHE:-$default_cache}
TARBALL=$CACHE/python-3-debian-$SUITE.tar

if [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE present"
  exit 0
fi
finish() {
  [ "$NOTEBOOK" = 1 ] && notebook_image
  return 0
}

import_tarball() {
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV PYTHONDONTWRITEBYTECODE=1' \
    -c 'CMD ["python3"]' \
    "$TARBALL" "$IMAGE" >/dev/null
  echo "imported $IMAGE from $TARBALL"
}

if [ "$FORCE" = 0 ] && [ -s "$TARBALL" ]; then
  import_tarball
  finish
  exit 0
fi

source "$(dirname "$0")/debian-rootfs.sh"
MIRROR=$(debian_mirror)
ensure_debootstrap

mkdir -p "$CACHE/debs"
ROOT=$(mktemp -d "$CACHE/rootfs.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
start=$(date +%s)
echo "building $IMAGE: debootstrap --variant=minbase $SUITE from $MIRROR (a minute or two, once)"
debootstrap --variant=minbase --include=python3,ca-certificates \
  --cache-dir="$CACHE/debs" "$SUITE" "$ROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
  || { tail -n 30 "$CACHE/debootstrap.log" >&2; echo "debootstrap failed" >&2; exit 1; }

# apt inside the image uses the same mirror (and the security suite) for environment setup scripts.
cat >"$ROOT/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
SOURCES
security=$(grep -hE '^\s*URIs:.*-security' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -n1 || true)
[ -n "$security" ] && echo "deb $security $SUITE-security main" >>"$ROOT/etc/apt/sources.list"
# Smaller image, no interactive apt, no recommends pulled in by setup scripts.
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
  >"$ROOT/etc/apt/apt.conf.d/90gridrun"
pack_rootfs "$ROOT" "$TARBALL"
import_tarball
echo "built $IMAGE in $(( $(date +%s) - start )) s"
finish
