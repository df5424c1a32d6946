#!/usr/bin/env bash
# Benchmark 4: event throughput. gotrace funcs streams a record per call of main.hot while the
# workload's tight loop calls it as fast as it can when traced; the workload reports its own
# ns/call, gotrace the calls it delivered and the records dropped. One process launched by
# gotrace, then two processes at once (one per CPU here) traced through the binary.
# Writes bench/results/throughput.md and throughput.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
wl=$(workload)
calls=${BENCH_THROUGHPUT_CALLS:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rate() { awk -v ns="$1" 'BEGIN{printf "%.0f", 1e9 / ns}'; }
summary() { grep -E '^[0-9]+ calls in [0-9.]+ s, [0-9]+ dropped' "$1" | tail -1; }

# One launched process.
"$root/gotrace" funcs main.hot -- "$wl" -mode loop -n "$calls" >"$tmp/one" 2>"$tmp/one.err"
ns1=$(grep -o 'ns/call [0-9.]*' "$tmp/one" | awk '{print $2}')
s1=$(summary "$tmp/one.err")  # the summary is on stderr
echo "bench: one process: $ns1 ns/call; $s1" >&2

# cpu_ticks PID: "<group> <ticks>" per thread group of a JVM (the main thread reads, decodes
# and renders; the JIT compilers; the rest: GC, VM thread, ...), from /proc/PID/task/*/stat
cpu_ticks() {
  for t in /proc/"$1"/task/*; do
    local st; st=$(cat "$t/stat" 2>/dev/null) || continue
    local comm=${st#*(}; comm=${comm%)*}
    local rest=${st##*) }
    # shellcheck disable=SC2086
    set -- $rest
    local g=other
    case $comm in main|java) g=main ;; C1\ Compiler*|C2\ Compiler*) g=jit ;; esac
    echo "$g $(( ${12} + ${13} ))"
  done | awk '{s[$1] += $2} END {for (g in s) print g, s[g]}'
}
cpu_delta() { # BEFORE AFTER GROUP: seconds
  awk -v g="$3" -v hz="$(getconf CLK_TCK)" 'FNR == NR {b[$1] = $2; next} $1 == g {printf "%.2f", ($2 - b[g]) / hz}' "$1" "$2"
}

# Two processes of the binary at once.
"$root/gotrace" funcs "$wl" main.hot >"$tmp/two" 2>"$tmp/two.err" &
gt=$!
for _ in $(seq 300); do grep -q 'Ctrl-C to end' "$tmp/two.err" && break; sleep 0.1; done
sleep 1
cpu_ticks "$gt" >"$tmp/cpu.before"
start=$(now_ns)
"$wl" -mode loop -n $((calls / 2)) >"$tmp/a" &
a=$!
"$wl" -mode loop -n $((calls / 2)) >"$tmp/b" &
b=$!
wait "$a" "$b"
end=$(now_ns)
sleep 1
cpu_ticks "$gt" >"$tmp/cpu.after"
kill -TERM "$gt"; wait "$gt" || echo "bench: gotrace ended with $?" >&2
nsa=$(grep -o 'ns/call [0-9.]*' "$tmp/a" | awk '{print $2}')
nsb=$(grep -o 'ns/call [0-9.]*' "$tmp/b" | awk '{print $2}')
s2=$(summary "$tmp/two.err")
echo "bench: two processes: $nsa, $nsb ns/call; $s2" >&2
cpu_main=$(cpu_delta "$tmp/cpu.before" "$tmp/cpu.after" main)
cpu_jit=$(cpu_delta "$tmp/cpu.before" "$tmp/cpu.after" jit)
cpu_other=$(cpu_delta "$tmp/cpu.before" "$tmp/cpu.after" other)
delivered2=$(awk '{print $1}' <<<"$s2")
per_rec=$(awk -v c="${cpu_main:-0}" -v n="${delivered2:-0}" 'BEGIN{printf "%.2f", (n > 0 ? c * 1e6 / n : 0)}')
echo "bench: tracer CPU during the two-process run: main ${cpu_main} s ($per_rec µs/record), JIT ${cpu_jit} s, other ${cpu_other} s" >&2
wall2=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", (b - a) / 1e9}')

{
  echo "\`gotrace funcs main.hot\` (text output to a file) while the workload's loop calls main.hot; the call rate is the workload's own (1 / its ns/call)."
  echo
  echo "| target | calls made | call rate while traced | gotrace summary (calls delivered, time, drops) |"
  echo "|---|---:|---:|---|"
  echo "| 1 process (\`-- COMMAND\`) | $calls | $(rate "$ns1")/s ($ns1 ns/call) | $s1 |"
  echo "| 2 processes at once (BINARY) | $calls | $(rate "$nsa")/s + $(rate "$nsb")/s = $(awk -v x="$nsa" -v y="$nsb" 'BEGIN{printf "%.0f", 1e9/x + 1e9/y}')/s ($wall2 s wall) | $s2 |"
  echo
  echo "Tracer CPU while the two processes ran (from /proc/PID/task/*/stat, after attach until the last record was read): the main thread, which reads the ring, decodes and renders, ${cpu_main} s = $per_rec µs per record delivered; the JIT compiler threads ${cpu_jit} s; every other JVM thread ${cpu_other} s."
} >"$results/throughput.md"
dropped() { awk '{for (i = 1; i < NF; i++) if ($(i + 1) ~ /^dropped/) print $i}' <<<"$1" | tail -1; }
d1=$(dropped "$s1"); d2=$(dropped "$s2")
verdict() { [ "$1" = 0 ] && echo met || echo "not met: $1 records dropped (ring buffer full) at $2"; }
{
  printf '%s\t%s\t%s\t%s\n' "gotrace funcs drops at the workload's tight loop, 1 process, default 8 MiB ring" "0 dropped" \
    "${d1:-?} dropped of $calls ($(rate "$ns1") calls/s)" "$(verdict "${d1:-?}" "$(rate "$ns1") calls/s")"
  printf '%s\t%s\t%s\t%s\n' "gotrace funcs drops at the workload's tight loop, 2 processes at once, default ring" "0 dropped" \
    "${d2:-?} dropped of $calls" "$(verdict "${d2:-?}" "2 processes")"
} >"$results/throughput.goals.tsv"
cat "$results/throughput.md"
cat "$results/throughput.goals.tsv"
