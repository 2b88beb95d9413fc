# Shared by the scripts that build gridrun's base images from Debian packages without a registry
# (python-image.sh, jre-image.sh): sourced, not run.

# The mirror: the first deb.debian.org-style URI of the host's apt sources (deb822 or one-line).
debian_mirror() {
  local uri
  uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '{print $2}' | grep -v -- '-security' | grep -m1 '/debian/\?$' || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '{print ($2 ~ /^\[/) ? $3 : $2}' | grep -v -- '-security' | grep -m1 '/debian/\?$' || true)
  fi
  echo "${GRIDRUN_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

ensure_debootstrap() {
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  fi
}

# Drops what an image does not need, then packs the root file system into the cached tarball.
pack_rootfs() {
  local root=$1 tarball=$2
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/locale/* 2>/dev/null || true
  chmod 1777 "$root/tmp"
  tar --numeric-owner -C "$root" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
}
