#!/usr/bin/env bash
# Makes sure a Docker engine answers and the test image exists, installing and starting what is
# missing (Debian: docker.io, busybox-static). Used by `./gridrun test` and CI on clean machines.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

start_engine() {
  nohup dockerd --iptables=false --bridge=none --storage-driver="$1" >/tmp/gridrun-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd"
  if ! start_engine overlay2; then
    echo "dockerd with overlay2 did not come up; retrying with vfs" >&2
    pkill dockerd || true
    sleep 2
    start_engine vfs || { cat /tmp/gridrun-dockerd.log >&2; echo "no Docker engine" >&2; exit 1; }
  fi
fi
docker image inspect gridrun/busybox:test >/dev/null 2>&1 || scripts/busybox-image.sh
# The Python base image of the notebook, environment-build and digits tests: a debootstrap of
# Debian with python3, imported once; its root file system tarball is cached (/var/cache/gridrun),
# so a machine that lost the image re-imports it in seconds. CI: cache that directory.
scripts/python-image.sh --notebook
