#!/usr/bin/env bash
# Builds the Java base image gridrun/jre:17-debian from Debian packages, without any registry:
# debootstrap --variant=minbase of bookworm with openjdk-17-jre-headless from the Debian mirror this
# machine's apt uses, then `docker import` (the same pattern as scripts/python-image.sh). The
# service, Kafka, database stand-in and object store images of the compose cluster build on it
# (scripts/compose-images.sh). A cache: nothing happens when the image exists; the root file system
# tarball is kept under $GRIDRUN_CACHE (default /var/cache/gridrun as root, else
# ~/.cache/gridrun), so re-importing it after the image was removed takes seconds.
# First build: two to four minutes. Usage: scripts/jre-image.sh [image] [--force]
set -euo pipefail
IMAGE=gridrun/jre:17-debian
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    *) IMAGE=$arg ;;
  esac
done
SUITE=${GRIDRUN_DEBIAN_SUITE:-bookworm}
if [ "$(id -u)" = 0 ]; then default_cache=/var/cache/gridrun; else default_cache=$HOME/.cache/gridrun; fi
CACHE=${GRIDRUN_CACHE:-$default_cache}
TARBALL=$CACHE/jre-17-debian-$SUITE.tar

if [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE present"
  exit 0
fi

import_tarball() {
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'CMD ["java", "-version"]' \
    "$TARBALL" "$IMAGE" >/dev/null
  echo "imported $IMAGE from $TARBALL"
}

if [ "$FORCE" = 0 ] && [ -s "$TARBALL" ]; then
  import_tarball
  exit 0
fi

source "$(dirname "$0")/debian-rootfs.sh"
MIRROR=$(debian_mirror)
ensure_debootstrap

mkdir -p "$CACHE/debs"
ROOT=$(mktemp -d "$CACHE/rootfs.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
start=$(date +%s)
echo "building $IMAGE: debootstrap --variant=minbase $SUITE with openjdk-17-jre-headless from $MIRROR (minutes, once)"
# openjdk's postinst needs /proc; debootstrap mounts it in the target while it configures packages.
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates-java,ca-certificates,procps \
  --cache-dir="$CACHE/debs" "$SUITE" "$ROOT" "$MIRROR" >"$CACHE/debootstrap-jre.log" 2>&1 \
  || { tail -n 30 "$CACHE/debootstrap-jre.log" >&2; echo "debootstrap failed" >&2; exit 1; }
"$ROOT/usr/lib/jvm/java-17-openjdk-amd64/bin/java" -version >/dev/null 2>&1 \
  || chroot "$ROOT" java -version >/dev/null 2>&1 \
  || { echo "no working java in the image" >&2; exit 1; }
pack_rootfs "$ROOT" "$TARBALL"
import_tarball
echo "built $IMAGE in $(( $(date +%s) - start )) s"
