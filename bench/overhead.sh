#!/usr/bin/env bash
# Benchmark 1: per-call overhead on the workload's tight loop (main.hot, -mode loop).
# The workload times its own loop and prints "ns/call X". Each configuration runs
# BENCH_RUNS times (median shown): untraced; the floor (a program that only returns, on
# the same sites, bench FloorProbe); gotrace funcs / args / latency; bpftrace doing the
# same job where it can. Writes bench/results/overhead.md.
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

ns_of() { grep -o 'ns/call [0-9.]*' "$1" | awk '{print $2}' | tail -1; }

# run CONFIG-NAME COMMAND...: runs it $runs times, prints the median ns/call
run() {
  local name=$1; shift
  local vals=()
  for i in $(seq "$runs"); do
    "$@" >"$tmp/out" 2>"$tmp/err" || { echo "bench: $name failed:" >&2; tail -5 "$tmp/err" >&2; exit 1; }
    local v; v=$(ns_of "$tmp/out"); [ -n "$v" ] || v=$(ns_of "$tmp/err")
    [ -n "$v" ] || { echo "bench: $name printed no ns/call" >&2; tail -5 "$tmp/out" "$tmp/err" >&2; exit 1; }
    vals+=("$v")
    cp "$tmp/out" "$tmp/$name.out"; cp "$tmp/err" "$tmp/$name.err"
  done
  echo "bench: $name: ${vals[*]} ns/call" >&2
  printf '%s\n' "${vals[@]}" | median
}

# floor OFFSET...: the workload's loop with a return-only program on those offsets
floor() {
  rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
  java -cp "$cp" dev.gotrace.probes.bench.FloorProbe "$wl" "$@" <"$tmp/fifo" >"$tmp/floor.log" 2>&1 &
  local pid=$!
  exec 3>"$tmp/fifo"
  for _ in $(seq 300); do grep -q attached "$tmp/floor.log" && break; sleep 0.1; done
  grep -q attached "$tmp/floor.log" || { cat "$tmp/floor.log" >&2; exit 1; }
  "$wl" -mode loop -n "$calls"
  exec 3>&-
  wait "$pid"
}

bt() { bpftrace --unsafe -e "$1" -c "$wl -mode loop -n $calls"; }
ret_probes() {
  local body=$1 out=""
  for o in "${exit_offs[@]}"; do out+="uprobe:$wl:$(hex "$o") $body "; done
  echo "$out"
}

untraced=$(run untraced "$wl" -mode loop -n "$untraced_calls")
floor1=$(run floor-entry floor "$probe_off")
floorN=$(run floor-entry-exits floor "$probe_off" "${exit_offs[@]}")
funcs=$(run funcs gotrace funcs main.hot -- "$wl" -mode loop -n "$calls")
args=$(run args gotrace args main.hot -- "$wl" -mode loop -n "$calls")
latency=$(run latency gotrace latency main.hot -- "$wl" -mode loop -n "$calls")
bt_count=$(run bt-count bt "uprobe:$wl:main.hot { @calls = count(); }")
bt_print=$(run bt-printf bt "uprobe:$wl:main.hot { printf(\"%llu %d %d %llx main.hot %llx\\n\", nsecs, pid, tid, reg(\"r14\"), *(uint64 *)reg(\"sp\")); }")
bt_args=$(run bt-args bt "uprobe:$wl:main.hot { printf(\"%d %d main.hot(i=%ld)\\n\", pid, tid, reg(\"ax\")); } $(ret_probes "{ printf(\"%d %d main.hot = %ld\\n\", pid, tid, reg(\"ax\")); }")")
bt_lat=$(run bt-latency bt "uprobe:$wl:main.hot { @start[tid] = nsecs; } $(ret_probes "/@start[tid]/ { @ns = hist(nsecs - @start[tid]); delete(@start[tid]); }")")

drops() { grep -o '[0-9]* dropped' "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null | head -1 | awk -F: '{print $NF}' | awk '{print $1}'; }
lost() { grep -o 'Lost [0-9]* events' "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null | awk '{s+=$2} END{print s+0}'; }

nsites=$((1 + ${#exit_offs[@]}))
row() { # name sites ns floor note
  awk -v n="$1" -v s="$2" -v v="$3" -v f="$4" -v u="$untraced" -v note="$5" 'BEGIN{
    r = (f == "" ? "—" : sprintf("%.2f×", v / f));
    printf "| %s | %s | %.1f | %.1f | %s | %s |\n", n, s, v, v - u, r, note }'
}
{
  echo "Per-call cost of \`main.hot\` in the workload's tight loop (\`-mode loop\`; $calls calls traced, $untraced_calls untraced; median of $runs runs; the workload times its own loop)."
  echo
  echo "| configuration | probes | ns/call | added ns/call | ratio to the floor (same probes) | notes |"
  echo "|---|---:|---:|---:|---:|---|"
  row "untraced" 0 "$untraced" "" ""
  row "**floor**: return-only eBPF program, entry" 1 "$floor1" "$floor1" "uprobe_multi link, like gotrace"
  row "**floor**: return-only eBPF program, entry + exits" "$nsites" "$floorN" "$floorN" ""
  row "gotrace funcs" 1 "$funcs" "$floor1" "ring-buffer record per call: time, pid, tid, goid, caller; $(drops funcs) dropped"
  row "gotrace args" "$nsites" "$args" "$floorN" "arguments and results decoded as Go values; $(drops args) dropped"
  row "gotrace latency" "$nsites" "$latency" "$floorN" "in-kernel log2 histogram, entry matched to exit by (g, stack.hi − SP)"
  row "bpftrace count()" 1 "$bt_count" "$floor1" "in-kernel count only"
  row "bpftrace printf per call" 1 "$bt_print" "$floor1" "time, pid, tid, g pointer, raw return address (no goid, no symbolised caller); $(lost bt-printf) lost"
  row "bpftrace args" "$nsites" "$bt_args" "$floorN" "raw RAX at entry and exit (no Go types: it cannot decode strings, slices, structs or stack-ABI args); $(lost bt-args) lost"
  row "bpftrace latency" "$nsites" "$bt_lat" "$floorN" "hist() keyed by thread id (a goroutine that moves threads is mismatched); exit probes by file offset with --unsafe (bpftrace $(bpftrace_version) cannot check the instruction boundary); no uretprobe, which would crash Go"
} >"$results/overhead.md"
cat "$results/overhead.md"
