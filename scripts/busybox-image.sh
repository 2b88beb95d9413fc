#!/usr/bin/env bash
# Builds the local test image gridrun/busybox:test from the host's static busybox (Debian package
# busybox-static). No registry is needed: the root file system is imported as an image.
set -euo pipefail
IMAGE=${1:-gridrun/busybox:test}
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] || { echo "busybox not found (apt-get install busybox-static)" >&2; exit 1; }
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/bin" "$ROOT/tmp" "$ROOT/etc"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for tool in sh ash echo cat ls sleep env true false mkdir rm cp mv wc head tail grep sed awk printf \
  test expr seq date touch dd yes id pwd sort uniq tr cut find xargs basename dirname chmod ln stat; do
  ln -s busybox "$ROOT/bin/$tool"
done
echo 'root:x:0:0:root:/:/bin/sh' > "$ROOT/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> "$ROOT/etc/passwd"
chmod 1777 "$ROOT/tmp"
tar -C "$ROOT" -c . | docker import -c 'ENV PATH=/bin' - "$IMAGE" >/dev/null
echo "built $IMAGE"
