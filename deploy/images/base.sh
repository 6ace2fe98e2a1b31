#!/usr/bin/env bash
# Builds starguide/base:bookworm from Debian's packages (no registry answers here, so even the base is made here):
# a minbase bookworm root file system from the mirror apt itself uses, trimmed of documentation and caches, imported.
set -euo pipefail

image="${1:-starguide/base:bookworm}"
suite=bookworm

# The mirror apt already uses (deb822 or one-line sources), so the image comes from where the host's packages come from.
apt_mirror() {
  local uri
  uri=$(awk -v s="$suite" '
      /^URIs:/ { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) { print uris; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk -v s="$suite" '$1 == "deb" && $3 == s { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
security_mirror() {
  local uri
  uri=$(awk -v s="$suite-security" '
      /^URIs:/ { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) { print uris; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian-security}"
}

mirror=$(apt_mirror)
security=$(security_mirror)
rootfs=$(mktemp -d "${TMPDIR:-/tmp}/starguide-rootfs.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT

echo "base: debootstrap --variant=minbase $suite from $mirror"
if ! debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
  echo "base: debootstrap failed; last lines of its log ($rootfs.log):" >&2
  tail -n 20 "$rootfs.log" >&2
  exit 1
fi
rm -f "$rootfs.log"

cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SOURCES
# Images install packages in one layer each and never need documentation, manuals or apt's download caches.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-starguide-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
cat >"$rootfs/etc/apt/apt.conf.d/01-starguide-slim" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
APT
# Security and point-release updates once here, not in every image built on it.
if ! { chroot "$rootfs" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get -y -qq upgrade; } >"$rootfs.log" 2>&1; then
  echo "base: apt-get upgrade in the new root file system failed:" >&2
  tail -n 20 "$rootfs.log" >&2
  exit 1
fi
rm -f "$rootfs.log"
# The engine mounts its own; the build machine's DNS settings do not belong in the image.
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/var/log/* "$rootfs"/tmp/*

tar -C "$rootfs" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
  -c 'CMD ["/bin/bash"]' \
  -m "debootstrap --variant=minbase $suite $mirror" - "$image" >/dev/null
echo "base: imported $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
