#!/usr/bin/env bash
# Detach time: SIGTERM to gotrace (what Ctrl-C does; a background job of a script ignores SIGINT)
# → gotrace has printed its summary, closed its links, programs and maps, and exited. Each
# command traces the workload (-mode forever -pause-ms 20) by -p for a few seconds first; the
# funcs/latency/top patterns are memory.sh's (hundreds of functions, about a thousand probes).
# Median of BENCH_DETACH_RUNS (default 3) per command (BENCH_DETACH_ONLY: a subset, e.g. "args top"). Writes bench/results/detach.md and
# bench/results/detach.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
wl=$(workload)
runs=${BENCH_DETACH_RUNS:-3}
settle=${BENCH_DETACH_SETTLE:-3}
pattern='re:^(main|fmt|strconv|sync|sort|time|os|errors|unicode|bufio|reflect|internal/fmtsort)\.'
tmp=$(mktemp -d)
"$wl" -mode forever -pause-ms 20 >/dev/null 2>&1 </dev/null &
wpid=$!
trap 'kill "$wpid" 2>/dev/null; rm -rf "$tmp"' EXIT

# detach NAME ARGS...: one run; prints milliseconds from SIGTERM to the exit of gotrace
detach() {
  shift
  rm -f "$tmp/out" "$tmp/err" # not the last run's "Ctrl-C to end" before this one's redirection truncates it
  : >"$tmp/err"
  local limit=(--max-sites 100000) # goroutines has one probe, and no --max-sites
  [ "$1" = goroutines ] && limit=()
  "$root/gotrace" "$@" -p "$wpid" "${limit[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null &
  local gt=$!
  for _ in $(seq 1200); do grep -q 'Ctrl-C to end' "$tmp/err" && break; kill -0 "$gt" 2>/dev/null || break; sleep 0.05; done
  grep -q "Ctrl-C to end" "$tmp/err" || { echo "bench: detach: $* did not start" >&2; cat "$tmp/err" >&2; tail -5 "$tmp/out" >&2; exit 1; }
  sleep "$settle"
  local t0 t1 code=0
  t0=$(now_ns)
  kill -TERM "$gt"
  wait "$gt" || code=$?
  t1=$(now_ns)
  [ "$code" = 0 ] || [ "$code" = 130 ] || [ "$code" = 143 ] || { echo "bench: detach: $* exited $code" >&2; tail -3 "$tmp/err" >&2; }
  echo $(( (t1 - t0) / 1000000 ))
}

declare -a names=(funcs args latency "latency --calls" goroutines top)
# BENCH_DETACH_ONLY="args top": some of them
if [ -n "${BENCH_DETACH_ONLY:-}" ]; then read -r -a names <<<"$BENCH_DETACH_ONLY"; fi
declare -A cmd=(
  [funcs]="funcs $pattern"
  [args]="args main.withString main.manyArgs"
  [latency]="latency $pattern"
  ["latency --calls"]="latency --calls $pattern"
  [goroutines]="goroutines"
  [top]="top $pattern --interval 1s"
)
worst=0; worst_name=""
rows=""
for n in "${names[@]}"; do
  ms=()
  for _ in $(seq "$runs"); do
    # shellcheck disable=SC2086
    ms+=("$(set -f; detach "$n" ${cmd[$n]})")
  done
  med=$(printf '%s\n' "${ms[@]}" | median)
  echo "bench: detach: $n: ${ms[*]} ms (median $med)" >&2
  rows+="| gotrace $n | $med ms | ${ms[*]} |"$'\n'
  [ "${med%.*}" -gt "$worst" ] && worst=${med%.*} && worst_name=$n
done
{
  echo "Time from SIGTERM (as Ctrl-C) to the exit of gotrace, after ${settle} s tracing the workload (\`-mode forever -pause-ms 20\`) by pid; funcs, latency and top on \`$pattern\`. Median of $runs runs."
  echo
  echo "| command | detach (median) | runs |"
  echo "|---|---:|---|"
  printf '%s' "$rows"
} >"$results/detach.md"
met=met; [ "$worst" -le 300 ] || met="not met: $worst ms ($worst_name)"
printf 'detach, every command (SIGTERM to exit)\t<= 300 ms\t%s ms (slowest: %s)\t%s\n' "$worst" "$worst_name" "$met" >"$results/detach.goals.tsv"
cat "$results/detach.md"
