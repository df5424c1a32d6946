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

hot_sites
hex() { printf '0x%x' "$1"; }
echo "bench: main.hot probe entry at file offset $(hex "$hot_probe"), exits at$(for o in "${hot_exits[@]}"; do printf ' %s' "$(hex "$o")"; done)" >&2

bt() { hot_bpftrace "$1"; }
ret_probes() {
  local body=$1 out="" o
  for o in "${hot_exits[@]}"; do out+="uprobe:$wl:$(hex "$o") $body "; done
  echo "$out"
}

# name|floor it is compared with|command
configs=(
  "untraced||hot_loop $untraced_calls"
  "floor-entry||hot_floor $cp $hot_probe"
  "floor-entry-exits||hot_floor $cp $hot_probe ${hot_exits[*]}"
  "funcs|floor-entry|hot_gotrace funcs $wl main.hot"
  "args|floor-entry-exits|hot_gotrace args $wl main.hot"
  "latency|floor-entry-exits|hot_gotrace latency $wl main.hot"
  "bt-count|floor-entry|bt_count"
  "bt-printf|floor-entry|bt_print"
  "bt-args|floor-entry-exits|bt_args"
  "bt-latency|floor-entry-exits|bt_lat"
)
bt_count() { bt "uprobe:$wl:main.hot { @calls = count(); }"; }
bt_print() { bt "uprobe:$wl:main.hot { printf(\"%llu %d %d %llx main.hot %llx\\n\", nsecs, pid, tid, reg(\"r14\"), *(uint64 *)reg(\"sp\")); }"; }
bt_args() { bt "uprobe:$wl:main.hot { printf(\"%d %d main.hot(i=%ld)\\n\", pid, tid, reg(\"ax\")); } $(ret_probes "{ printf(\"%d %d main.hot = %ld\\n\", pid, tid, reg(\"ax\")); }")"; }
bt_lat() { bt "uprobe:$wl:main.hot { @start[tid] = nsecs; } $(ret_probes "/@start[tid]/ { @ns = hist(nsecs - @start[tid]); delete(@start[tid]); }")"; }

check() { :; } # the tables show what each tracer reported (drops, lost events)
hot_rounds
untraced=$(med untraced)

drops() { grep -o '[0-9]* dropped' "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null | head -1 | awk -F: '{print $NF}' | awk '{print $1}'; }
lost() { grep -o 'Lost [0-9]* events' "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null | awk '{s+=$2} END{print s+0}'; }

nsites=$((1 + ${#hot_exits[@]}))
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
