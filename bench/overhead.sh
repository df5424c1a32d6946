#!/usr/bin/env bash
# Benchmark 1: per-call overhead on the workload's tight loop (main.hot, -mode loop).
# The workload times its own loop and prints "ns/call X". Configurations: untraced; the floor
# (a program that only returns, on the same sites, bench FloorProbe); gotrace funcs / args /
# latency; bpftrace doing the same job where it can. They run in BENCH_RUNS rounds, each round
# every configuration once, so a configuration and its floor are measured minutes apart at most
# on a machine whose load drifts; a ratio is the median over rounds of (ns/call ÷ the floor of
# the same round), ns/call the median over rounds. BENCH_CONFIGS picks some configurations
# (the floors are always run). Writes bench/results/overhead.md and overhead.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
ensure_bpftrace
wl=$(workload)
calls=${BENCH_CALLS:-200000}
untraced_calls=${BENCH_UNTRACED_CALLS:-50000000}
runs=${BENCH_RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp=$(floor_classpath)

# main.hot's probe entry and exit sites as file offsets (the entry's fileOffset shifted).
sites=$(gotrace list "$wl" main.hot --json)
num() { grep -o "\"$1\":[0-9]*" <<<"$sites" | head -1 | cut -d: -f2; }
entry=$(num entry); foff=$(num fileOffset); probe=$(num probeEntry)
probe_off=$((probe - entry + foff))
exit_offs=()
for a in $(grep -o '"addr":[0-9]*' <<<"$sites" | cut -d: -f2); do exit_offs+=($((a - entry + foff))); done
hex() { printf '0x%x' "$1"; }
echo "bench: main.hot probe entry at file offset $(hex "$probe_off"), exits at$(for o in "${exit_offs[@]}"; do printf ' %s' "$(hex "$o")"; done)" >&2

ns_of() { grep -o "^$2 [0-9.]*" "$1" | awk '{print $2}' | tail -1; }

# loop N: the workload's tight loop of N calls; prints its own "ns/call X" (wall clock, as the
# workload times it) and "cpu-ns/call Y": the process's user + system time (bash's `times`, the
# uprobe traps and the eBPF programs run in the target's context) / N, which time the target
# spent preempted by other processes on a shared machine does not inflate
loop() {
  ( "$wl" -mode loop -n "$1"; times ) >"$tmp/loop" || { cat "$tmp/loop" >&2; exit 1; }
  grep 'ns/call' "$tmp/loop"
  tail -1 "$tmp/loop" | tr 'ms' '  ' | awk -v n="$1" '{printf "cpu-ns/call %.1f\n", (($1 * 60 + $2) + ($3 * 60 + $4)) * 1e9 / n}'
}

# once CONFIG-NAME COMMAND...: runs it once, prints "WALL CPU" ns/call; keeps its output as $tmp/NAME.out/.err
once() {
  local name=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err" || { echo "bench: $name failed:" >&2; tail -5 "$tmp/err" >&2; exit 1; }
  local v c; v=$(ns_of "$tmp/out" ns/call); c=$(ns_of "$tmp/out" cpu-ns/call)
  [ -n "$v" ] && [ -n "$c" ] || { echo "bench: $name printed no ns/call" >&2; tail -5 "$tmp/out" "$tmp/err" >&2; exit 1; }
  cp "$tmp/out" "$tmp/$name.out"; cp "$tmp/err" "$tmp/$name.err"
  echo "$v $c"
}

# floor OFFSET...: the workload's loop with a return-only program on those offsets
floor() {
  rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
  java -cp "$cp" dev.gotrace.probes.bench.FloorProbe "$wl" "$@" <"$tmp/fifo" >"$tmp/floor.log" 2>&1 &
  local pid=$!
  exec 3>"$tmp/fifo"
  for _ in $(seq 300); do grep -q attached "$tmp/floor.log" && break; sleep 0.1; done
  grep -q attached "$tmp/floor.log" || { cat "$tmp/floor.log" >&2; exit 1; }
  loop "$calls"
  exec 3>&-
  wait "$pid"
}

# traced READY SIGNAL TOOL...: TOOL traces the workload binary (every process running it) in the
# background; once READY is in its output, the loop runs; then TOOL is stopped with SIGNAL (its
# summary, drops included, follows the loop's lines). A background job of a script starts with
# SIGINT ignored, which the JVM keeps: gotrace is stopped with SIGTERM, bpftrace with SIGINT.
traced() {
  local ready=$1 sig=$2; shift 2
  # the background job truncates its files only when it starts: without this, the wait below
  # could read the previous tool's ready line and run the loop before any probe is attached
  rm -f "$tmp/tool.out" "$tmp/tool.err"
  "$@" >"$tmp/tool.out" 2>"$tmp/tool.err" &
  local pid=$!
  for _ in $(seq 600); do grep -qs "$ready" "$tmp/tool.out" "$tmp/tool.err" && break; sleep 0.1; done
  if ! grep -q "$ready" "$tmp/tool.out" "$tmp/tool.err"; then
    # stopped, or it would keep this script's output pipe open and the script waiting
    echo "bench: $* never attached (running: $(kill -0 "$pid" 2>/dev/null && echo yes || echo no))" >&2
    tail -5 "$tmp/tool.err" >&2
    signal_leaves KILL "$pid"
    exit 1
  fi
  loop "$calls"
  sleep 0.5
  # signalled again while it runs (once was seen lost: gotrace args kept running)
  for i in $(seq 120); do
    if [ $((i % 20)) = 1 ]; then signal_leaves "$sig" "$pid"; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  wait "$pid" || true
  tail -20 "$tmp/tool.out"; cat "$tmp/tool.err" >&2
}
# signal_leaves SIGNAL PID: sends SIGNAL to the processes under PID that have no children of
# their own (PID itself when it has none): the tool, not a shell function's subshell around it,
# whose death would not stop the tool
signal_leaves() {
  local kids; kids=$(pgrep -P "$2" || true)
  if [ -z "$kids" ]; then kill -"$1" "$2" 2>/dev/null || true; return; fi
  for k in $kids; do signal_leaves "$1" "$k"; done
}
gt() { traced 'Ctrl-C to end' TERM gotrace "$@"; }
bt() { traced 'Attach' INT bpftrace --unsafe -e "$1"; }
ret_probes() {
  local body=$1 out=""
  for o in "${exit_offs[@]}"; do out+="uprobe:$wl:$(hex "$o") $body "; done
  echo "$out"
}

# name|floor it is compared with|command
configs=(
  "untraced||loop $untraced_calls"
  "floor-entry||floor $probe_off"
  "floor-entry-exits||floor $probe_off ${exit_offs[*]}"
  "funcs|floor-entry|gt funcs $wl main.hot"
  "args|floor-entry-exits|gt args $wl main.hot"
  "latency|floor-entry-exits|gt latency $wl main.hot"
  "bt-count|floor-entry|bt_count"
  "bt-printf|floor-entry|bt_print"
  "bt-args|floor-entry-exits|bt_args"
  "bt-latency|floor-entry-exits|bt_lat"
)
bt_count() { bt "uprobe:$wl:main.hot { @calls = count(); }"; }
bt_print() { bt "uprobe:$wl:main.hot { printf(\"%llu %d %d %llx main.hot %llx\\n\", nsecs, pid, tid, reg(\"r14\"), *(uint64 *)reg(\"sp\")); }"; }
bt_args() { bt "uprobe:$wl:main.hot { printf(\"%d %d main.hot(i=%ld)\\n\", pid, tid, reg(\"ax\")); } $(ret_probes "{ printf(\"%d %d main.hot = %ld\\n\", pid, tid, reg(\"ax\")); }")"; }
bt_lat() { bt "uprobe:$wl:main.hot { @start[tid] = nsecs; } $(ret_probes "/@start[tid]/ { @ns = hist(nsecs - @start[tid]); delete(@start[tid]); }")"; }

selected() { # NAME: whether BENCH_CONFIGS (default: all) includes it; floors and untraced always run
  case $1 in untraced|floor-*) return 0 ;; esac
  [ -z "${BENCH_CONFIGS:-}" ] && return 0
  [[ " $BENCH_CONFIGS " == *" $1 "* ]]
}

declare -A vals cvals peer
for round in $(seq "$runs"); do
  for c in "${configs[@]}"; do
    IFS='|' read -r name against cmd <<<"$c"
    selected "$name" || continue
    # shellcheck disable=SC2086 # the command is words
    read -r v cv <<<"$(once "$name" $cmd)"
    vals[$name]+="$v "
    cvals[$name]+="$cv "
    peer[$name]=$against
    if [ -n "$against" ]; then
      f=$(awk '{print $NF}' <<<"${vals[$against]}")
      cf=$(awk '{print $NF}' <<<"${cvals[$against]}")
      echo "$v $f" | awk '{printf "%.4f\n", $1 / $2}' >>"$tmp/$name.ratios"
      echo "$cv $cf" | awk '{printf "%.4f\n", $1 / $2}' >>"$tmp/$name.cratios"
    fi
  done
  echo "bench: round $round done" >&2
done
med() { tr ' ' '\n' <<<"${vals[$1]:-}" | grep . | median; }
cmed() { tr ' ' '\n' <<<"${cvals[$1]:-}" | grep . | median; }
ratio() { if [ -f "$tmp/$1.ratios" ]; then median <"$tmp/$1.ratios"; fi; }
cratio() { if [ -f "$tmp/$1.cratios" ]; then median <"$tmp/$1.cratios"; fi; }
for c in "${configs[@]}"; do
  IFS='|' read -r name _ _ <<<"$c"
  selected "$name" || continue
  echo "bench: $name: wall ${vals[$name]}ns/call, cpu ${cvals[$name]}ns/call${peer[$name]:+; wall ratios $(tr '\n' ' ' <"$tmp/$name.ratios")cpu ratios $(tr '\n' ' ' <"$tmp/$name.cratios")}" >&2
done
untraced=$(med untraced)

drops() { grep -o '[0-9]* dropped' "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null | head -1 | awk -F: '{print $NF}' | awk '{print $1}'; }
lost() { grep -o 'Lost [0-9]* events' "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null | awk '{s+=$2} END{print s+0}'; }

nsites=$((1 + ${#exit_offs[@]}))
row() { # name sites config note
  selected "$3" || return 0
  awk -v n="$1" -v s="$2" -v v="$(med "$3")" -v r="$(ratio "$3")" -v c="$(cmed "$3")" -v cr="$(cratio "$3")" -v u="$untraced" -v note="$4" 'BEGIN{
    printf "| %s | %s | %.1f | %.1f | %s | %.1f | %s | %s |\n", n, s, v, v - u, (r == "" ? "—" : sprintf("%.2f×", r)),
      c, (cr == "" ? "—" : sprintf("%.2f×", cr)), note }'
}
{
  echo "Per-call cost of \`main.hot\` in the workload's tight loop (\`-mode loop\`; $calls calls traced, $untraced_calls untraced; $runs rounds, each configuration once per round; ns/call the median over rounds, the ratio the median over rounds of ns/call ÷ the same round's floor with the same probes; the workload times its own loop; target CPU is the workload's user + system time per call, which the uprobe traps and eBPF programs are charged to and which preemption by other load does not inflate). Tracers attach to the binary first, then the loop runs, then they are stopped with SIGINT."
  echo
  echo "| configuration | probes | ns/call | added ns/call | ratio to the floor (same probes) | target CPU ns/call | CPU ratio to the floor | notes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  row "untraced" 0 untraced ""
  row "**floor**: return-only eBPF program, entry" 1 floor-entry "uprobe_multi link, like gotrace"
  row "**floor**: return-only eBPF program, entry + exits" "$nsites" floor-entry-exits ""
  row "gotrace funcs" 1 funcs "ring-buffer record per call: time, pid, tid, goid, caller; $(drops funcs) dropped"
  row "gotrace args" "$nsites" args "arguments and results decoded as Go values; $(drops args) dropped"
  row "gotrace latency" "$nsites" latency "in-kernel log2 histogram, entry matched to exit by (g, stack.hi − SP)"
  row "bpftrace count()" 1 bt-count "in-kernel count only"
  row "bpftrace printf per call" 1 bt-printf "time, pid, tid, g pointer, raw return address (no goid, no symbolised caller); $(lost bt-printf) lost"
  row "bpftrace args" "$nsites" bt-args "raw RAX at entry and exit (no Go types: it cannot decode strings, slices, structs or stack-ABI args); $(lost bt-args) lost"
  row "bpftrace latency" "$nsites" bt-latency "hist() keyed by thread id (a goroutine that moves threads is mismatched); exit probes by file offset with --unsafe (bpftrace $(bpftrace_version) cannot check the instruction boundary); no uretprobe, which would crash Go"
} >"$results/overhead.md"

why_cpu="see the target CPU ratio: above the floor by less than the wall clock, the rest is the target waiting for a CPU it shares with the reader of the tracer (decode + print per record) and other load"
# goal<TAB>target<TAB>measured<TAB>verdict, one line per goal of issue 16 this step measures
goal() { # text config limit reason-if-not-met
  selected "$2" || return 0
  local r cr; r=$(ratio "$2"); cr=$(cratio "$2")
  awk -v t="$1" -v r="$r" -v cr="$cr" -v l="$3" -v why="$4" 'BEGIN{
    printf "%s\t≤ %.2f× the floor\t%.2f× wall, %.2f× target CPU (median of rounds)\t%s\n", t, l, r, cr, (r <= l ? "met" : "not met: " why) }'
}
{
  goal "gotrace funcs per call, vs the return-only floor on the same probe" funcs 1.10 "${BENCH_WHY_FUNCS:-$why_cpu}"
  goal "gotrace args per call, vs the floor on the same probes" args 1.10 "${BENCH_WHY_ARGS:-$why_cpu}"
  goal "gotrace latency per call, vs the floor on the same probes" latency 1.02 "${BENCH_WHY_LATENCY:-in-kernel work per call (two map operations and a histogram update) beyond the floor}"
} >"$results/overhead.goals.tsv"
cat "$results/overhead.md"
cat "$results/overhead.goals.tsv"
