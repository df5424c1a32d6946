#!/usr/bin/env bash
# Benchmark: static analysis of large Go binaries.
# `gotrace list BIG --sites --json` (every function, with its probe entry and exit
# sites) side by side with `go tool nm BIG`, on unstripped builds of the Go
# toolchain's own go, compile and link commands (built here from the cached
# toolchain's sources, since Debian ships them stripped).
# Reports wall time, functions/s, MB/s of machine code decoded, and peak RSS.
# Writes bench/results/list-analysis.md and prints it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
series=${GOTRACE_BENCH_GO:-1.24}
goroot=$cache/toolchains/go$series/usr/lib/go-$series
for cmd in go compile link; do big "$cmd" >/dev/null; done
ensure_jar
nm=$goroot/pkg/tool/linux_amd64/nm
runs=${GOTRACE_BENCH_RUNS:-3}

# best-of-N wall seconds and the peak RSS (KB) of that run
measure() {
  local best="" rss=""
  for _ in $(seq "$runs"); do
    local t tf
    tf=$(mktemp)
    /usr/bin/time -o "$tf" -f '%e %M' "$@" >/dev/null 2>&1 || true
    t=$(tail -1 "$tf"); rm -f "$tf"
    local s=${t% *} m=${t#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$m; fi
  done
  echo "$best $rss"
}

out=$root/bench/results/list-analysis.md
{
  echo "| binary | size | functions | text MB | gotrace list --sites --json | functions/s | text MB/s | peak RSS | go tool nm | nm peak RSS |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for cmd in go compile link; do
    bin=$(big "$cmd")
    size=$(du -m "$bin" | cut -f1)
    funcs=$("$root/gotrace" list "$bin" --json | wc -l)
    hex=$(objdump -h "$bin" | awk '$2==".text"{print $3}')
    text=$(awk "BEGIN{printf \"%.1f\", $((16#$hex))/1048576}")
    read -r gt grss < <(measure "$root/gotrace" list "$bin" --sites --json)
    read -r nt nrss < <(measure "$nm" "$bin")
    fps=$(awk "BEGIN{printf \"%.0f\", $funcs/$gt}")
    mbs=$(awk "BEGIN{printf \"%.1f\", $text/$gt}")
    echo "| $cmd (Go $series) | ${size} MB | $funcs | $text | ${gt} s | $fps | $mbs | $((grss/1024)) MB | ${nt} s | $((nrss/1024)) MB |"
  done
} >"$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(java -version 2>&1 | head -1); best of $runs runs" >>"$out"
cat "$out"
