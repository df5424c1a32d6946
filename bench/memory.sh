#!/usr/bin/env bash
# Benchmark 5: tracer memory. Peak RSS (VmHWM) of gotrace during a 60 s trace of every
# non-runtime function of the workload (hundreds of functions), which runs rounds of all its
# features meanwhile; latency (aggregated in the kernel) and funcs (a record per call), with the
# launcher's JVM options (./gotrace: serial GC, -Xms8m, C1 only, AppCDS; GOTRACE_JAVA_OPTS adds more).
# Writes bench/results/memory.md and bench/results/memory.goals.tsv (goal: peak RSS <= 100 MB).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
wl=$(workload)
secs=${BENCH_MEMORY_SECONDS:-60}
pattern='re:^(main|fmt|strconv|sync|sort|time|os|errors|unicode|bufio|reflect|internal/fmtsort)\.'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$wl" -mode forever -pause-ms 20 >"$tmp/wl.out" &
wpid=$!
trap 'kill "$wpid" 2>/dev/null; rm -rf "$tmp"' EXIT

# trace COMMAND: runs gotrace COMMAND on the workload for $secs s; prints "peakMB rss10MB rssEndMB summary"
trace() {
  "$root/gotrace" "$1" "$pattern" -p "$wpid" --duration "${secs}s" --max-sites 100000 >"$tmp/$1.out" 2>"$tmp/$1.err" &
  local gt=$! r10="" rend="" hwm=""
  for i in $(seq $((secs * 10 + 300))); do
    kill -0 "$gt" 2>/dev/null || break
    local st; st=$(cat "/proc/$gt/status" 2>/dev/null || true)
    local rss; rss=$(awk '/VmRSS/{print $2}' <<<"$st")
    [ -n "$rss" ] && rend=$rss && hwm=$(awk '/VmHWM/{print $2}' <<<"$st")
    [ "$i" = 100 ] && r10=$rss
    sleep 0.1
  done
  wait "$gt"
  local sites; sites=$(grep -o '([0-9]* probes)\|Tracing [0-9]* functions\|Timing [0-9]* functions ([0-9]* probes)' "$tmp/$1.err" | head -1)
  echo "$((hwm / 1024)) $((r10 / 1024)) $((rend / 1024)) $sites"
}

lat=$(trace latency)
echo "bench: latency: $lat" >&2
fun=$(trace funcs)
echo "bench: funcs: $fun" >&2
calls=$(grep -E '^[0-9]+ calls in' "$tmp/funcs.err" | tail -1)  # the summary is on stderr
{
  echo "Peak RSS of the gotrace JVM (the launcher's options: $(grep -o -- '-XX:+UseSerialGC[^"]*' "$root/gotrace" | head -1 | tr -d '\\' | tr -s ' ' | sed 's/ *$//')${GOTRACE_JAVA_OPTS:+ $GOTRACE_JAVA_OPTS}) tracing the functions of the workload matching \`$pattern\` for $secs s, while the workload (\`-mode forever -pause-ms 20\`) runs rounds of all its features."
  echo
  echo "| command | what it set up | peak RSS (VmHWM) | RSS after 10 s | RSS at the end | events |"
  echo "|---|---|---:|---:|---:|---|"
  read -r p a e s <<<"$lat"; echo "| gotrace latency | $s | $p MB | $a MB | $e MB | aggregated in the kernel |"
  read -r p a e s <<<"$fun"; echo "| gotrace funcs (text to a file) | $s | $p MB | $a MB | $e MB | $calls |"
} >"$results/memory.md"
cat "$results/memory.md"
goal() { # NAME "peak rest..."
  local p=${2%% *} met=met
  [ "$p" -le 100 ] || met="not met: $p MB"
  printf 'peak RSS, %s on %s functions (memory.sh)\t<= 100 MB\t%s MB\t%s\n' "$1" "$(grep -o '[0-9]* functions' <<<"$2" | grep -o '[0-9]*')" "$p" "$met"
}
{ goal "gotrace latency" "$lat"; goal "gotrace funcs" "$fun"; } >"$results/memory.goals.tsv"
cat "$results/memory.goals.tsv"
