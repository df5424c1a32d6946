#!/usr/bin/env bash
# Builds the Go test-binary matrix that gotrace's tests read, into a cache
# outside the clone:
#
#   $GOTRACE_CACHE (default ~/.cache/gotrace)
#     toolchains/go1.X/usr/lib/go-1.X        Go toolchains from Debian's packages
#     testdata/go1.X/ARCH/VARIANT/PROGRAM    the binaries
#     testdata/matrix.tsv                    one line per binary (read by TestBinaries)
#     peers/prometheus/usr/bin/prometheus    Debian sid's Prometheus 3.5, the real server of the export
#                                            tests (scrapes /metrics); read by PrometheusServer
#     peers/prometheus-otlp/prometheus       the same Prometheus built with its OTLP receiver, which
#                                            Debian's package patches out (testdata/prometheus-otlp.sh;
#                                            built beside the Go matrix, a few minutes once, then cached)
#
# Matrix: Go 1.15, 1.19, 1.22, 1.24, 1.25, 1.26, 1.27 (GOTRACE_GO_SERIES="1.26 1.27" to narrow it);
#   amd64: default, stripped (-ldflags=-s -w), pie, extlink (cgo, -linkmode=external), trimpath,
#          distro (cgo, -trimpath -ldflags='-linkmode=external -s -w': how Debian builds Go; Go >= 1.19)
#   arm64, 386: default (static analysis only)
#   programs: server, workload; cgo in the extlink variant only (it needs cgo); forker (fork and
#   exec under tracing) for the newest series, amd64 default only; look (line probes, package
#   variables, value histograms, stacks) for every series, amd64 default only.
#
# Idempotent: a binary is rebuilt only when its sources, flags or toolchain
# changed. Says what it built and what it skipped and why.
#
#   bash testdata/build.sh           build the matrix
#   bash testdata/build.sh --demo    also rebuild the checked-in demo binary testdata/bin/server
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${GOTRACE_CACHE:-$HOME/.cache/gotrace}
read -r -a series <<<"${GOTRACE_GO_SERIES:-1.15 1.19 1.22 1.24 1.25 1.26 1.27}"
demo=false
for a in "$@"; do
  case "$a" in
    --demo) demo=true ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option $a (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'build.sh: %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# ---- toolchains from Debian's registry, without installing them system-wide

apt_dir=$cache/apt
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=root"
  -o "APT::Architecture=amd64"
)

# The private lists are updated once per run of this script (subshells see the marker file).
apt_marker=$cache/apt/.updated-$$
trap 'rm -f "$apt_marker"' EXIT
prepare_apt() {
  [ -f "$apt_marker" ] && return 0
  [ -r "$keyring" ] || die "cannot fetch Go toolchains: $keyring is missing (install the debian-archive-keyring package)"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  local suite
  : >"$apt_dir/sources.list.new"
  for suite in bullseye bookworm bookworm-backports trixie trixie-backports sid; do
    echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main" >>"$apt_dir/sources.list.new"
  done
  mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
  say "updating the private package lists (bullseye, bookworm, bookworm-backports, trixie, trixie-backports, sid)"
  apt-get "${apt_opts[@]}" -qq update >"$apt_dir/update.log" 2>&1 \
    || die "cannot fetch Go toolchains: apt-get update of the private lists failed (see $apt_dir/update.log)"
  : >"$apt_marker"
}

# Prints GOROOT of Go 1.$1, fetching the toolchain first if the cache lacks it.
toolchain() {
  local v=$1 dir=$cache/toolchains/go$1
  local goroot=$dir/usr/lib/go-$v
  if [ -x "$goroot/bin/go" ] && [ -d "$goroot/src/runtime" ]; then
    echo "$goroot"; return 0
  fi
  prepare_apt >&2
  say "fetching Go $v (golang-$v-go, golang-$v-src) from Debian's packages" >&2
  local debs=$cache/debs/go$v
  rm -rf "$debs" "$dir"; mkdir -p "$debs" "$dir"
  (cd "$debs" && apt-get "${apt_opts[@]}" -qq download "golang-$v-go" "golang-$v-src") >"$debs/download.log" 2>&1 \
    || die "cannot fetch the Go $v toolchain: apt-get download golang-$v-go golang-$v-src failed (see $debs/download.log)"
  local deb
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$dir"; done
  [ -x "$goroot/bin/go" ] || die "the Go $v packages did not contain $goroot/bin/go"
  rm -f "$debs"/*.deb
  echo "$goroot"
}

# Prints the path of Debian sid's prometheus (3.x: it has the OTLP receiver), fetched once into
# $cache/peers/prometheus; the export tests start it on a loopback port.
prometheus_peer() {
  local dir=$cache/peers/prometheus bin=$cache/peers/prometheus/usr/bin/prometheus
  if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  prepare_apt
  say "fetching prometheus from Debian sid (the export tests' server)" >&2
  local debs=$cache/debs/prometheus
  rm -rf "$debs" "$dir.tmp"; mkdir -p "$debs" "$dir.tmp"
  (cd "$debs" && apt-get "${apt_opts[@]}" -qq download prometheus/sid) >"$debs/download.log" 2>&1 \
    || die "cannot fetch prometheus: apt-get download prometheus/sid failed (see $debs/download.log)"
  dpkg -x "$debs"/prometheus_*.deb "$dir.tmp"
  [ -x "$dir.tmp/usr/bin/prometheus" ] || die "the prometheus package has no usr/bin/prometheus"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"; rm -f "$debs"/*.deb
  echo "$bin"
}

# ---- building

# variant -> extra go build flags, one per line; CGO only where the variant needs it
flags_for() {
  case "$1" in
    default)  ;;
    stripped) echo "-ldflags=-s -w" ;;
    pie)      echo "-buildmode=pie" ;;
    extlink)  echo "-ldflags=-linkmode=external" ;;
    trimpath) echo "-trimpath" ;;
    distro)   echo "-trimpath"; echo "-ldflags=-linkmode=external -s -w" ;;
    *) die "unknown variant $1" ;;
  esac
}

sources_hash() {
  (cd "$here/go/$1" && find . -type f -name '*.go' | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16
}

built=0; skipped=0
manifest_lines=()

# build SERIES GOROOT ARCH VARIANT PROGRAM [OUT]
build_one() {
  local v=$1 goroot=$2 arch=$3 variant=$4 prog=$5
  local out=${6:-$cache/testdata/go$v/$arch/$variant/$prog}
  local cgo=0 extra=() f
  while IFS= read -r f; do [ -n "$f" ] && extra+=("$f"); done < <(flags_for "$variant")
  { [ "$variant" = extlink ] || [ "$variant" = distro ] || [ "$prog" = cgo ]; } && cgo=1
  [ -n "${7:-}" ] && extra+=("$7")
  local goversion
  goversion=$("$goroot/bin/go" env GOVERSION 2>/dev/null || "$goroot/bin/go" version | awk '{print $3}')
  local stamp="$goversion $arch cgo=$cgo ${extra[*]} $(sources_hash "$prog")"
  if [ -x "$out" ] && [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
    skipped=$((skipped + 1))
    return 0
  fi
  local stage=$cache/stage/go$v/$prog
  rm -rf "$stage"; mkdir -p "$stage" "$(dirname "$out")"
  cp "$here/go/$prog"/*.go "$stage/"
  printf 'module gotrace.dev/testdata/%s\n\ngo %s\n' "$prog" "$v" >"$stage/go.mod"
  local log=$out.log
  if ! (cd "$stage" && env -u GOFLAGS GOROOT="$goroot" PATH="$goroot/bin:$PATH" \
      GOTOOLCHAIN=local GOPROXY=off GO111MODULE=on GOFLAGS=-mod=mod \
      GOCACHE="$cache/gocache/go$v" GOPATH="$cache/gopath" \
      GOOS=linux GOARCH="$arch" CGO_ENABLED=$cgo \
      go build "${extra[@]}" -o "$out.tmp" .) >"$log" 2>&1; then
    cat "$log" >&2
    die "building go$v/$arch/$variant/$prog failed (log above, also in $log)"
  fi
  mv "$out.tmp" "$out"
  echo "$stamp" >"$out.stamp"
  built=$((built + 1))
}

mkdir -p "$cache/testdata"
# Fetch the missing toolchains side by side (the downloads wait on the network, not the CPU).
missing_tc=()
for v in "${series[@]}"; do
  [ -x "$cache/toolchains/go$v/usr/lib/go-$v/bin/go" ] || missing_tc+=("$v")
done
if [ ${#missing_tc[@]} -gt 0 ]; then
  prepare_apt
  pids=()
  for v in "${missing_tc[@]}"; do toolchain "$v" >/dev/null & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || die "fetching a Go toolchain failed (messages above)"; done
fi
# The OTLP-enabled Prometheus compiles beside the matrix (it uses the Go 1.26 toolchain fetched above).
otlp_log=$cache/peers/prometheus-otlp.log
mkdir -p "$cache/peers"
bash "$here/prometheus-otlp.sh" >"$otlp_log" 2>&1 &
otlp_pid=$!
for v in "${series[@]}"; do
  goroot=$(toolchain "$v")
  variants=(default stripped pie extlink trimpath)
  [ "${v#1.}" -ge 19 ] && variants+=(distro)
  for variant in "${variants[@]}"; do
    for prog in server workload; do
      build_one "$v" "$goroot" amd64 "$variant" "$prog"
    done
  done
  build_one "$v" "$goroot" amd64 extlink cgo
  # look (line probes, package variables, value histograms, stacks): live tests only, amd64 default.
  build_one "$v" "$goroot" amd64 default look
  # forker (fork + exec under tracing) matters for live tests only: the newest Go, amd64.
  if [ "$v" = "${series[${#series[@]}-1]}" ]; then
    build_one "$v" "$goroot" amd64 default forker
  fi
  for arch in arm64 386; do
    for prog in server workload; do
      build_one "$v" "$goroot" "$arch" default "$prog"
    done
  done
done

prom=$(prometheus_peer)
if ! wait "$otlp_pid"; then
  tail -n 20 "$otlp_log" >&2
  die "building Prometheus with its OTLP receiver failed (log above, also in $otlp_log)"
fi
say "prometheus with OTLP for the export tests: $(tail -n 1 "$otlp_log")"
say "prometheus for the export tests: $prom ($("$prom" --version 2>&1 | head -1 | awk '{print $3}'))"

# ---- the manifest and the table: the Go version is read back from each binary

newest=${series[${#series[@]}-1]}
newest_go=$(toolchain "$newest")/bin/go
tsv=$cache/testdata/matrix.tsv
printf '# goVersion\tseries\tarch\tvariant\tprogram\tpath\n' >"$tsv.tmp"
printf '%-10s %-8s %-6s %-9s %-9s %s\n' "GO" "SERIES" "ARCH" "VARIANT" "PROGRAM" "SIZE"
for v in "${series[@]}"; do
  for dir in "$cache/testdata/go$v"/*/*; do
    arch=$(basename "$(dirname "$dir")"); variant=$(basename "$dir")
    for bin in "$dir"/*; do
      case "$bin" in *.stamp|*.log|*.tmp) continue ;; esac
      [ -x "$bin" ] || continue
      gv=$("$newest_go" version "$bin" 2>/dev/null | awk '{print $2}')
      [ -n "$gv" ] || die "$bin: go version cannot read its build info"
      printf '%s\tgo%s\t%s\t%s\t%s\t%s\n' "$gv" "$v" "$arch" "$variant" "$(basename "$bin")" "$bin" >>"$tsv.tmp"
      printf '%-10s %-8s %-6s %-9s %-9s %s\n' "$gv" "go$v" "$arch" "$variant" "$(basename "$bin")" "$(du -h "$bin" | cut -f1)"
    done
  done
done
mv "$tsv.tmp" "$tsv"
say "built $built, up to date $skipped; matrix in $tsv"
say "not built, by design: arm64 and 386 get only the default variant (static analysis); cgo only as extlink"

if $demo; then
  out=$here/bin/server
  mkdir -p "$here/bin"
  goroot=$(toolchain "$newest")
  build_one "$newest" "$goroot" amd64 default server "$out" "-trimpath"
  rm -f "$out.stamp" "$out.log"
  say "demo binary: $out ($("$newest_go" version "$out" | awk '{print $2}'), amd64, -trimpath, with DWARF)"
fi
