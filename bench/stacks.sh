#!/usr/bin/env bash
# Benchmark: the cost of Go stacks (issue 19) on the workload's tight loop of main.hot(i), whose
# stack is main.hot <- main.loop <- main.main <- runtime.main <- runtime.goexit. Configurations,
# run in BENCH_RUNS rounds (each round every configuration once, right after its peer; a ratio
# is the median over rounds of ns/call ÷ the peer's in the same round):
#   floor-entry, floor-entry-exits  return-only programs on main.hot's entry (and exits)
#   funcs                           gotrace funcs main.hot
#   funcs-stack                     funcs --stack: a frame-pointer walk, a hash and a stack-map
#                                   insert per call, the stack id in each record; vs funcs
#   latency                         gotrace latency main.hot (in-kernel histogram)
#   bt-stacks                       bpftrace 0.27 doing latency per stack: ustack taken at the
#                                   entry (kept per thread), hist() keyed by it at the exits
#   latency-stacks                  gotrace latency --stacks: the same job, per goroutine frame;
#                                   vs bpftrace, and (second table row) vs latency
# Each configuration's output is checked (stack frames shown, a stack with main.loop counted),
# so a feature that does not work fails the script instead of measuring something else.
# BENCH_CONFIGS picks some configurations (their peers run too). Writes bench/results/stacks.md
# and stacks.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
ensure_bpftrace
wl=$(workload)
calls=${BENCH_CALLS:-200000}
runs=${BENCH_RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp=$(floor_classpath)
hot_sites
echo "bench: main.hot probe entry at file offset $hot_probe, exits at ${hot_exits[*]}" >&2

hex() { printf '0x%x' "$1"; }
exit_probes() {
  local out="" o
  for o in "${hot_exits[@]}"; do out+="uprobe:$wl:$(hex "$o") $1 "; done
  echo "$out"
}
bt_stacks() {
  hot_bpftrace "uprobe:$wl:main.hot { @start[tid] = nsecs; @stack[tid] = ustack; } $(exit_probes "/@start[tid]/ { @ns[@stack[tid]] = hist(nsecs - @start[tid]); delete(@start[tid]); delete(@stack[tid]); }")"
}

# name|peer|command (a peer runs earlier in the round)
configs=(
  "floor-entry||hot_floor $cp $hot_probe"
  "floor-entry-exits||hot_floor $cp $hot_probe ${hot_exits[*]}"
  "funcs|floor-entry|hot_gotrace funcs $wl main.hot"
  "funcs-stack|funcs|hot_gotrace funcs $wl main.hot --stack"
  "latency|floor-entry-exits|hot_gotrace latency $wl main.hot"
  "bt-stacks|floor-entry-exits|bt_stacks"
  "latency-stacks|bt-stacks|hot_gotrace latency $wl main.hot --stacks"
)

# check NAME: what the configuration's output must show, or the script stops.
check() {
  local all
  all=$(cat "$tmp/$1.out" "$tmp/$1.err")
  case $1 in
    funcs-stack)
      grep -qE '^ +main\.loop ' <<<"$all" || { echo "bench: funcs --stack showed no main.loop frame:" >&2
        grep -v '^ns/call\|^cpu-ns' "$tmp/$1.out" | head -n 8 >&2; exit 1; } ;;
    latency-stacks)
      grep -q 'main\.loop' <<<"$all" || { echo "bench: latency --stacks showed no stack with main.loop:" >&2
        tail -n 12 "$tmp/$1.out" >&2; exit 1; } ;;
    bt-stacks)
      grep -q '@ns\[' <<<"$all" || { echo "bench: bpftrace printed no per-stack histogram:" >&2
        tail -n 8 "$tmp/$1.out" "$tmp/$1.err" >&2; exit 1; } ;;
  esac
}

hot_rounds
# latency-stacks against latency, from the same rounds: its ns/call ÷ latency's of the round
paste -d' ' <(tr ' ' '\n' <<<"${vals[latency-stacks]:-}" | grep .) <(tr ' ' '\n' <<<"${vals[latency]:-}" | grep .) \
  | awk '{printf "%.4f\n", $1 / $2}' >"$tmp/stacks-vs-latency.ratios" || true
paste -d' ' <(tr ' ' '\n' <<<"${cvals[latency-stacks]:-}" | grep .) <(tr ' ' '\n' <<<"${cvals[latency]:-}" | grep .) \
  | awk '{printf "%.4f\n", $1 / $2}' >"$tmp/stacks-vs-latency.cratios" || true
if selected latency-stacks && selected latency; then
  want[stacks-vs-latency]=1; peer[stacks-vs-latency]=latency
  vals[stacks-vs-latency]=${vals[latency-stacks]}; cvals[stacks-vs-latency]=${cvals[latency-stacks]}
fi

nsites=$((1 + ${#hot_exits[@]}))
{
  echo "Cost of Go stacks on \`main.hot(i)\` in the workload's tight loop (\`-mode loop -n $calls\`; 5 frames: main.hot, main.loop, main.main, runtime.main, runtime.goexit); $runs rounds, each configuration once per round right after its peer; ns/call the median over rounds; a ratio the median over rounds of ns/call ÷ the peer's in the same round. Target CPU is the workload's user + system time per call."
  echo
  echo "| configuration | ns/call | target CPU ns/call | peer | ratio to the peer | round ratios (min–max) | CPU ratio | notes |"
  echo "|---|---:|---:|---|---:|---:|---:|---|"
  hot_row "**floor**: return-only program, entry (1 probe)" floor-entry "" "uprobe_multi link, like gotrace"
  hot_row "**floor**: return-only program, entry + exits ($nsites probes)" floor-entry-exits "" ""
  hot_row "gotrace funcs main.hot" funcs "floor, entry" "a ring-buffer record per call"
  hot_row "gotrace funcs main.hot --stack" funcs-stack "funcs" "frame-pointer walk, hash and stack-map insert per call; symbolised once per stack"
  hot_row "gotrace latency main.hot" latency "floor, entry + exits" "in-kernel histogram"
  hot_row "bpftrace $(bpftrace_version): ustack at the entry, hist() per stack at the exits" bt-stacks "floor, entry + exits" "kernel stack walk (frame pointers, no inlined frames, no Go file:line); keyed by thread id"
  hot_row "gotrace latency main.hot --stacks" latency-stacks "bpftrace" "the same job: per-stack histogram in the kernel, keyed by goroutine frame"
  hot_row "gotrace latency main.hot --stacks (vs latency)" stacks-vs-latency "latency" "what --stacks adds to latency"
} >"$results/stacks.md"

{
  hot_goal "funcs --stack, vs funcs without it" funcs-stack "funcs" 1.10 \
    "${BENCH_WHY_FUNCS_STACK:-the unrolled frame-pointer walk (one probe_read_user per frame) and the stack-map insert}"
  hot_goal "latency --stacks (latency per stack in the kernel), vs bpftrace doing the same with ustack" \
    latency-stacks "bpftrace" 1.05 "${BENCH_WHY_BT:-gotrace's walk reads each frame with its own probe_read_user where the kernel's walks in one helper}"
  hot_goal "latency --stacks, vs latency without it" stacks-vs-latency "latency" 1.10 \
    "${BENCH_WHY_LATENCY_STACKS:-the walk at the entry and the keyed map update at the exit}"
} >"$results/stacks.goals.tsv"
cat "$results/stacks.md"
cat "$results/stacks.goals.tsv"
