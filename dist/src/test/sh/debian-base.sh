#!/usr/bin/env bash
# The clean Debian system the package tests install into (DebianChroot, bench/package.sh):
#   debian-base.sh SUITE     (root; prints the path of the base tarball)
# Made once by debootstrap (minbase, plus man-db and bash-completion, which a user's system has;
# no Java, so apt must resolve the package's dependency) from deb.debian.org, as a tarball
# $GOTRACE_CACHE/deb/SUITE-base.tar that each test run unpacks into a fresh directory, so the
# cache stays clean. The packages debootstrap and later apt download stay in
# $GOTRACE_CACHE/deb/archives/SUITE (the tests bind it as /var/cache/apt/archives).
set -euo pipefail
suite=$1
cache=${GOTRACE_CACHE:-$HOME/.cache/gotrace}/deb
base=$cache/$suite-base.tar
archives=$cache/archives/$suite
if [ -f "$base" ]; then echo "$base"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "debian-base.sh: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debian-base.sh: no debootstrap (apt install debootstrap)" >&2; exit 1; }
mkdir -p "$archives/partial"
tmp=$(mktemp -d "$cache/.base-$suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "debian-base.sh: debootstrap $suite into $base (once)" >&2
debootstrap --variant=minbase --include=man-db,bash-completion --cache-dir="$archives" \
  --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
  "$suite" "$tmp/root" http://deb.debian.org/debian >"$tmp/debootstrap.log" 2>&1 ||
  { tail -20 "$tmp/debootstrap.log" >&2; exit 1; }
r=$tmp/root
# test-system settings: no translations in apt's lists, dpkg without fsync (a throwaway system)
echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/99gotrace-test"
echo force-unsafe-io >"$r/etc/dpkg/dpkg.cfg.d/99gotrace-test"
rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/*Translation*
tar -C "$r" -cf "$tmp/base.tar" .
mv "$tmp/base.tar" "$base"
echo "$base"
