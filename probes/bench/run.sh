#!/usr/bin/env bash
# Runs the probes benchmarks (attach/detach time; ring-buffer throughput). Needs root.
#
#   bash probes/bench/run.sh [many-functions Go binary] [workload binary]
#
# Defaults: the workload from the test matrix (go1.24/amd64/default, see testdata/build.sh),
# and a symbolled build of cmd/go (about 13,900 functions) made once with the cached go1.24
# toolchain into $GOTRACE_CACHE/bench/. Nothing runs that binary, so its probes never fire.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${GOTRACE_CACHE:-$HOME/.cache/gotrace}

big=${1:-}
if [ -z "$big" ]; then
  big=$cache/bench/probes-go-with-symbols
  if [ ! -x "$big" ]; then
    goroot=$cache/toolchains/go1.24/usr/lib/go-1.24
    [ -x "$goroot/bin/go" ] || { echo "run.sh: no go1.24 toolchain at $goroot; pass a binary" >&2; exit 1; }
    mkdir -p "$cache/bench"
    echo "run.sh: building $big from cmd/go (once, about 2 minutes)" >&2
    (cd /tmp && GOROOT=$goroot GOTOOLCHAIN=local GOPROXY=off GOCACHE=${GOCACHE:-/tmp/gotrace-bench-gocache} \
      "$goroot/bin/go" build -o "$big" cmd/go)
  fi
fi
workload=${2:-$(awk -F'\t' '$2=="go1.24" && $3=="amd64" && $4=="default" && $5=="workload" {print $6}' \
  "$cache/testdata/matrix.tsv" 2>/dev/null || true)}
[ -n "$workload" ] && [ -x "$workload" ] || { echo "run.sh: no workload binary; build the matrix (bash testdata/build.sh) or pass one" >&2; exit 1; }

cd "$repo"
mvn -q -o -pl probes -am test-compile
jna=$(find "$HOME/.m2/repository/net/java/dev/jna/jna/5.17.0" -name 'jna-5.17.0.jar' | head -1)
cp="probes/target/classes:probes/target/test-classes:testdata/target/classes:$jna"
exec java ${BENCH_OPTS:-} -cp "$cp" dev.gotrace.probes.bench.ProbesBench "$big" "$workload"
