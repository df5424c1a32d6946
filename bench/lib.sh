# Shared by the bench/*.sh scripts (sourced, not run): paths, the jar, the workload, timing helpers.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${GOTRACE_CACHE:-$HOME/.cache/gotrace}
results=$root/bench/results
mkdir -p "$results"
jar=$root/cli/target/gotrace.jar

need_root() {
  [ "$(id -u)" = 0 ] || { echo "bench: tracing needs root" >&2; exit 1; }
}

# The go1.24 default workload of the test matrix (testdata/build.sh).
workload() {
  local w
  if [ -n "${BENCH_WORKLOAD:-}" ]; then echo "$BENCH_WORKLOAD"; return; fi
  w=$(awk -F'\t' '$2=="go1.24" && $3=="amd64" && $4=="default" && $5=="workload" {print $6}' \
    "$cache/testdata/matrix.tsv" 2>/dev/null || true)
  [ -n "$w" ] && [ -x "$w" ] || { echo "bench: no workload binary; run: bash testdata/build.sh" >&2; exit 1; }
  echo "$w"
}

ensure_jar() {
  [ -f "$jar" ] || (cd "$root" && mvn -q -B -o -pl cli -am -DskipTests package)
}

# gotrace as users run it: the launcher, which execs the JVM (serial collector) in
# place, so the pid a script starts in the background is the tracer's own.
gotrace() {
  "$root/gotrace" "$@"
}

# The current bpftrace (Debian sid's, 0.27 with uprobe_multi), from a chroot that
# bench/bpftrace-sid.sh makes once in the cache; `bpftrace ARGS` runs it there.
ensure_bpftrace() {
  bash "$root/bench/bpftrace-sid.sh" --ensure
}

bpftrace() {
  "$root/bench/bpftrace-sid.sh" "$@"
}

bpftrace_version() {
  bpftrace --version | awk '{print $2}'
}

# The classpath of the probes test classes (the floor program), compiled offline.
floor_classpath() {
  (cd "$root" && mvn -q -B -o -pl probes -am test-compile >&2)
  local jna
  jna=$(find "$HOME/.m2/repository/net/java/dev/jna/jna" -name 'jna-5.*.jar' | sort | tail -1)
  echo "$root/probes/target/classes:$root/probes/target/test-classes:$jna"
}

# median of numbers on stdin
median() {
  sort -g | awk '{v[NR]=$1} END{if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

now_ns() {
  date +%s%N
}

machine() {
  local cpu go
  cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
  go=$("$root/gotrace" info "$(workload)" 2>/dev/null | awk '$1=="go"{print $2}')
  echo "$(nproc) cores ($cpu), $(free -g | awk '/Mem:/{print $2}') GiB RAM, Linux $(uname -r)," \
    "$(java -version 2>&1 | head -1 | sed 's/"//g'), workload built with $go, bpftrace $(bpftrace_version 2>/dev/null || echo absent)"
}

# big CMD: an unstripped build of the Go toolchain's cmd/CMD (go, compile, link), built once
# into the cache from the cached toolchain's sources (Debian ships them stripped).
big() {
  local series=${GOTRACE_BENCH_GO:-1.24} cmd=$1
  local goroot=$cache/toolchains/go$series/usr/lib/go-$series
  local dir=$cache/bench/go$series
  if [ ! -x "$dir/$cmd" ]; then
    [ -x "$goroot/bin/go" ] || { echo "bench: no Go $series toolchain in $cache; run: bash testdata/build.sh" >&2; exit 1; }
    mkdir -p "$dir"
    echo "bench: building unstripped cmd/$cmd with Go $series (once)" >&2
    (cd "$goroot/src" && GOROOT="$goroot" PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local GOPROXY=off \
      GOCACHE="$cache/gocache/go$series" CGO_ENABLED=0 "$goroot/bin/go" build -o "$dir/$cmd" "cmd/$cmd") >&2
  fi
  echo "$dir/$cmd"
}

# stamp: prefixes each line of stdin with the time it was read (ns since the epoch)
stamp() {
  while IFS= read -r line; do echo "$(now_ns) $line"; done
}

# bench_prometheus: the path of Debian sid's stripped prometheus binary (about 130,000
# functions, built the distribution's way), fetched once into $cache/bench/prometheus with
# the private apt configuration of testdata/build.sh (its lists under $cache/apt, reused
# when present). Prints the binary's path.
bench_prometheus() {
  local dir=$cache/bench/prometheus apt_dir=$cache/apt
  local bin=$dir/root/usr/bin/prometheus
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$keyring" ] || { echo "bench: $keyring is missing (install debian-archive-keyring)" >&2; return 1; }
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=root" -o "APT::Architecture=amd64")
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/debs"
  if ! grep -qs ' sid main' "$apt_dir/sources.list"; then
    echo "deb [signed-by=$keyring] http://deb.debian.org/debian sid main" >>"$apt_dir/sources.list"
  fi
  if ! ls "$apt_dir"/lists/*_sid_main_binary-amd64_Packages* >/dev/null 2>&1; then
    echo "bench: updating the private package lists" >&2
    apt-get "${opts[@]}" -qq update >"$apt_dir/update.log" 2>&1 \
      || { echo "bench: apt-get update failed (see $apt_dir/update.log)" >&2; return 1; }
  fi
  echo "bench: fetching prometheus from Debian sid (once)" >&2
  rm -f "$dir"/debs/*.deb
  (cd "$dir/debs" && apt-get "${opts[@]}" -qq download prometheus/sid) >"$dir/download.log" 2>&1 \
    || { echo "bench: apt-get download prometheus/sid failed (see $dir/download.log)" >&2; return 1; }
  rm -rf "$dir/root.tmp"
  dpkg -x "$dir"/debs/prometheus_*.deb "$dir/root.tmp"
  [ -x "$dir/root.tmp/usr/bin/prometheus" ] || { echo "bench: the prometheus package has no usr/bin/prometheus" >&2; return 1; }
  rm -rf "$dir/root"; mv "$dir/root.tmp" "$dir/root"; rm -f "$dir"/debs/*.deb
  echo "$bin"
}

# bench_gosym: the path of bench/gosym (Go's debug/gosym reading a binary's function table),
# built into $cache/bench/gosym with the cached Go toolchain (GOTRACE_BENCH_GOSYM_GO, default
# 1.27: it must know the newest pclntab), rebuilt when its source changes.
bench_gosym() {
  local series=${GOTRACE_BENCH_GOSYM_GO:-1.27}
  local goroot=$cache/toolchains/go$series/usr/lib/go-$series
  local dir=$cache/bench/gosym src=$root/bench/gosym/main.go
  local stamp
  stamp="go$series $(sha256sum "$src" | cut -c1-16)"
  if [ ! -x "$dir/gosym" ] || [ "$(cat "$dir/gosym.stamp" 2>/dev/null)" != "$stamp" ]; then
    [ -x "$goroot/bin/go" ] || { echo "bench: no Go $series toolchain in $cache; run: bash testdata/build.sh" >&2; return 1; }
    mkdir -p "$dir"
    echo "bench: building bench/gosym with Go $series" >&2
    (cd "$root/bench/gosym" && GOROOT="$goroot" PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local GOPROXY=off \
      GO111MODULE=off GOCACHE="$cache/gocache/go$series" CGO_ENABLED=0 \
      "$goroot/bin/go" build -o "$dir/gosym" main.go) >&2
    echo "$stamp" >"$dir/gosym.stamp"
  fi
  echo "$dir/gosym"
}
