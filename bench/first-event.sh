#!/usr/bin/env bash
# Benchmark 6: time to first event, from the tracer's launch until it has printed its first
# event, gotrace beside bpftrace in the same run.
#   1. all net/http.* functions of the unstripped go1.24 test server (testdata/go/server), a
#      request loop (curl) running against it: `gotrace funcs -p PID`, `gotrace latency --calls
#      -p PID` (entries plus every exit; its first event is a completed call), and bpftrace's
#      printf on the entries alone.
#   2. one function of a large binary (unstripped cmd/go and cmd/compile from lib.sh's `big`,
#      and bench_prometheus when lib.sh has it): main.main of `BINARY -V`/`version`, launched by
#      the tracer (gotrace ... -- CMD, bpftrace -c CMD).
# Each time is the median of BENCH_RUNS (default 5) runs; the first event is the first line the
# tracer writes to stdout (gotrace --json, bpftrace's printf), stamped as it is read.
# Writes bench/results/first-event.md and bench/results/first-event.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
ensure_bpftrace
runs=${BENCH_RUNS:-5}
# bpftrace on net/http.* exits only after closing its ~1,000 perf-event uprobes (an RCU grace
# period each, over a minute), so its runs can be fewer: BENCH_BPFTRACE_RUNS
tmp=$(mktemp -d)
server_pid=""
loop_pid=""
cleanup() {
  [ -z "$loop_pid" ] || kill "$loop_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", (b - a) / 1e6}'; }

# first_event OUT RE CMD...: runs CMD (stdout to OUT, stamped), prints ms from launch to its
# first stdout line matching RE (an event, not a launched program's own output), or "failed".
first_event() {
  local out=$1 re=$2; shift 2
  local t0 t1
  t0=$(now_ns)
  { timeout 60 "$@" 2>"$out.err" || true; } | stamp >"$out"
  t1=$(awk -v re="$re" '{line=$0; sub(/^[0-9]+ /, "", line)} line ~ re {print $1; exit}' "$out")
  if [ -z "$t1" ]; then echo failed; return; fi
  ms "$t0" "$t1"
}

# median_of LABEL RE CMD...: BENCH_RUNS runs of first_event; the median in ms, or "failed".
median_of() {
  local label=$1 re=$2; shift 2
  local i v vals=()
  for i in $(seq "$runs"); do
    v=$(first_event "$tmp/run" "$re" "$@")
    if [ "$v" = failed ]; then
      echo "bench: $label failed:" >&2; head -5 "$tmp/run.err" >&2
      echo failed; return
    fi
    vals+=("$v")
  done
  echo "bench: $label: ${vals[*]} ms" >&2
  printf '%s\n' "${vals[@]}" | median
}

with_ms() { case $1 in failed) echo failed ;; *) echo "$1 ms" ;; esac; }

ratio() { case "$1$2" in *failed*|*-*) echo "—" ;; *) awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}' ;; esac; }

# --- 1. net/http.* of a running server ---------------------------------------------------------
srv=$(awk -F'\t' '$2=="go1.24" && $3=="amd64" && $4=="default" && $5=="server" {print $6}' "$cache/testdata/matrix.tsv")
[ -x "$srv" ] || { echo "bench: no go1.24 server in $cache; run: bash testdata/build.sh" >&2; exit 1; }
"$srv" -port 0 >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$tmp/server.log" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$tmp/server.log" | head -1)
[ -n "$url" ] || { echo "bench: the server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }
# a function run in the background is one subshell: $! is the loop itself, so kill ends it
request_loop() { while :; do curl -s -o /dev/null "$url/ping" || sleep 0.01; done; }
request_loop >/dev/null 2>&1 &
loop_pid=$!
sleep 0.5
n=$("$root/gotrace" list "$srv" 'net/http.*' --json | grep -c '"status":"ok"' || true)
max=$((n * 4 + 1000))

g_funcs=$(median_of "gotrace funcs" '^[{]' "$root/gotrace" funcs 'net/http.*' -p "$server_pid" --max-sites "$max" --json --count 1)
g_lat=$(median_of "gotrace latency --calls" '^[{]' "$root/gotrace" latency --calls 'net/http.*' -p "$server_pid" --max-sites "$max" --json --count 1)
probes=$(grep -o '([0-9]* probes)' "$tmp/run.err" | head -1 | tr -dc 0-9 || true)
# bpftrace prints the probed address, not `func`: a program that reads `func` (or `probe`) makes
# bpftrace expand the wildcard into one perf-event uprobe per function instead of one
# uprobe_multi link, and its attach (and detach: an RCU grace period per probe) slows tenfold
b_funcs=$( runs=${BENCH_BPFTRACE_RUNS:-$runs}; (ulimit -n "$(ulimit -Hn)"; BPFTRACE_MAX_PROBES=$((max + 1000)) median_of "bpftrace printf" '^net/http' \
  bpftrace -q -e "uprobe:$srv:\"net/http.*\" /pid == $server_pid/ { printf(\"net/http at %llx\\n\", reg(\"ip\")); exit(); }") )
kill "$loop_pid" 2>/dev/null || true; loop_pid=""
kill "$server_pid" 2>/dev/null || true; server_pid=""

# --- 2. one function of a large binary ---------------------------------------------------------
bigs=("$(big go)" "$(big compile)")
if declare -F bench_prometheus >/dev/null; then
  bigs+=("$(bench_prometheus)")
fi
big_rows=()
big_goals=()
for bin in "${bigs[@]}"; do
  name=$(basename "$bin")
  # an argument each program answers at once, running main.main
  case $name in go) arg=version ;; compile) arg=-V ;; *) arg=--version ;; esac
  funcs=$("$root/gotrace" list "$bin" --json | wc -l)
  g=$(median_of "gotrace funcs $name" '^[{]' "$root/gotrace" funcs main.main --json --count 1 -- "$bin" "$arg")
  b=$(median_of "bpftrace $name" '^main[.]main$' bpftrace -q -e "uprobe:$bin:main.main { printf(\"main.main\\n\"); exit(); }" -c "$bin $arg")
  kind=unstripped; [ "$("$root/gotrace" info "$bin" 2>/dev/null | awk '$1 == "stripped" {print $2}')" = yes ] && kind=stripped
  big_rows+=("| one function (main.main) of \`$name\` ($funcs functions, $kind; launched with \`$arg\`) | $(with_ms "$g") | — | $(with_ms "$b") | $(ratio "$g" "$b") | — |")
  met="not met: $(with_ms "$g")"
  [ "$g" != failed ] && [ "$g" -le 500 ] && met=met
  big_goals+=("$(printf 'first event, one function of %s (%s functions)\t<= 500 ms\t%s ms\t%s' "$name" "$funcs" "$g" "$met")")
done

{
  echo "Time from the tracer's launch until its first event is printed (median of $runs runs). Server: all $n probe-able \`net/http.*\` functions of the unstripped go1.24 test server, with a curl request loop running; \`latency --calls\` puts ${probes:-?} probes (entries and every exit) and its first event is a completed call; bpftrace ($(bpftrace_version 2>/dev/null || echo '?')) prints on the entries alone. Large binaries: main.main, the program launched by the tracer."
  echo
  echo "| target | gotrace funcs | gotrace latency --calls | bpftrace printf (entries) | funcs / bpftrace | latency / bpftrace |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| net/http.* of the running server | $(with_ms "$g_funcs") | $(with_ms "$g_lat") | $(with_ms "$b_funcs") | $(ratio "$g_funcs" "$b_funcs") | $(ratio "$g_lat" "$b_funcs") |"
  printf '%s\n' "${big_rows[@]}"
} >"$results/first-event.md"

goal() { # text gotrace bpftrace
  local r met
  r=$(ratio "$2" "$3")
  met="not met: $r× bpftrace"
  case $r in —) met="not met: a run failed" ;; *) awk -v r="$r" 'BEGIN{exit !(r <= 1.0)}' && met=met ;; esac
  printf '%s\t<= 1.00x bpftrace (%s)\t%s (%s×)\t%s\n' "$1" "$(with_ms "$3")" "$(with_ms "$2")" "$r" "$met"
}
{
  goal "first event, funcs on all net/http.* of a running server" "$g_funcs" "$b_funcs"
  goal "first event, latency --calls on all net/http.* (entries + every exit)" "$g_lat" "$b_funcs"
  printf '%s\n' "${big_goals[@]}"
} >"$results/first-event.goals.tsv"
cat "$results/first-event.md"
