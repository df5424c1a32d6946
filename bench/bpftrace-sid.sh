#!/usr/bin/env bash
# Runs the current bpftrace (Debian sid's, with uprobe_multi) from a chroot cached outside the
# clone, made once by debootstrap: bash bench/bpftrace-sid.sh ARGS... is `bpftrace ARGS...`.
# It runs in a private mount namespace, where proc, sysfs and tracefs (bpftrace needs it; gotrace
# does not) are mounted for it, and /root, /work and /tmp are bound at their own paths, so the
# binaries, pids and -c commands of the bench mean the same inside. The pid stays bpftrace's:
# every step execs. BENCH_BPFTRACE_ROOT overrides the chroot's folder.
set -euo pipefail
chroot=${BENCH_BPFTRACE_ROOT:-$HOME/.cache/gotrace/bench/sid-bpftrace}

make_chroot() {
  local tmp=$chroot.tmp
  command -v debootstrap >/dev/null || {
    echo "bench: installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  echo "bench: making a Debian sid chroot with bpftrace in $chroot (once, about a minute)" >&2
  rm -rf "$tmp"
  mkdir -p "$(dirname "$chroot")"
  debootstrap --variant=minbase --include=bpftrace \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    sid "$tmp" http://deb.debian.org/debian >"$chroot.log" 2>&1 \
    || { echo "bench: debootstrap failed (see $chroot.log)" >&2; exit 1; }
  mv "$tmp" "$chroot"
}

[ -x "$chroot/usr/bin/bpftrace" ] || make_chroot
[ "${1:-}" = --ensure ] && exit 0

export BPFTRACE_CHROOT=$chroot
exec unshare -m --propagation private bash -c '
  r=$BPFTRACE_CHROOT
  mount -t proc proc "$r/proc"
  mount -t sysfs sysfs "$r/sys"
  mount -t tracefs tracefs "$r/sys/kernel/tracing"
  mount -t debugfs debugfs "$r/sys/kernel/debug" && mount -t tracefs tracefs "$r/sys/kernel/debug/tracing"
  mount --rbind /dev "$r/dev"
  for d in /root /work /tmp; do
    [ -d "$d" ] || continue
    mkdir -p "$r$d"
    mount --rbind "$d" "$r$d"
  done
  ulimit -l unlimited 2>/dev/null || true
  exec chroot "$r" /usr/bin/bpftrace "$@"
' bpftrace "$@"
