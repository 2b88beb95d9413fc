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

answers_within() {
  for _ in $(seq 1 "$1"); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

start_engine() {
  nohup dockerd --iptables=false --bridge=none --storage-driver="$1" >/tmp/gridrun-dockerd.log 2>&1 &
  engine_pid=$!
  answers_within 60
}

# An engine that runs but answers slowly (a loaded machine) is waited for, never replaced: a second
# dockerd cannot start beside it, and killing it would kill every container of whoever uses it.
if ! docker info >/dev/null 2>&1 && pgrep -x dockerd >/dev/null 2>&1; then
  echo "waiting for the running dockerd to answer"
  answers_within 120 || { echo "a dockerd runs but does not answer" >&2; exit 1; }
fi
if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd"
  if ! start_engine overlay2; then
    echo "dockerd with overlay2 did not come up; retrying with vfs" >&2
    kill "$engine_pid" 2>/dev/null || true
    sleep 2
    start_engine vfs || { cat /tmp/gridrun-dockerd.log >&2; echo "no Docker engine" >&2; exit 1; }
  fi
fi
docker image inspect gridrun/busybox:test >/dev/null 2>&1 || scripts/busybox-image.sh
# The Python base image of the notebook, environment-build and digits tests: a debootstrap of
# Debian with python3, imported once; its root file system tarball is cached (/var/cache/gridrun),
# so a machine that lost the image re-imports it in seconds. CI: cache that directory.
scripts/python-image.sh --notebook
