#!/usr/bin/env bash
# Benchmark: the cost of --where and --by (issue 18) on the workload's tight loop of main.hot(i),
# i = 0 .. N-1. Configurations, run in BENCH_RUNS rounds (each round every configuration once, a
# configuration right after its peer; a ratio is the median over rounds of ns/call ÷ the peer's
# ns/call in the same round, ns/call the median over rounds):
#   floor-entry, floor-entry-exits  return-only programs on main.hot's entry (and exits)
#   funcs                           gotrace funcs main.hot, for reference, vs floor-entry
#   funcs-where-none                funcs --where 'i < 0': rejects every call, vs floor-entry
#   funcs-where-all                 funcs --where 'i >= 0': passes every call, vs funcs
#   latency                         gotrace latency main.hot, vs floor-entry-exits
#   latency-where-none              latency --where 'i < 0': rejects every call, vs floor-entry-exits
#   latency-by                      latency --by 'i < N/2': two keys, vs latency
#   latency-by-overflow             latency --by i --max-keys 16: N distinct keys, all but 16
#                                   counted as (other), vs latency
# Each configuration's output is checked (no call shown through a rejecting --where, both keys
# of the two-key --by, an (other) row after the cap), so a feature that does not work fails the
# script instead of measuring something else. BENCH_CONFIGS picks some configurations (their
# peers run too). Writes bench/results/where.md and where.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
wl=$(workload)
calls=${BENCH_CALLS:-200000}
runs=${BENCH_RUNS:-5}
cap=${BENCH_WHERE_MAX_KEYS:-16}
half=$((calls / 2))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp=$(floor_classpath)
hot_sites
echo "bench: main.hot probe entry at file offset $hot_probe, exits at ${hot_exits[*]}" >&2

# name|peer|command (a peer runs earlier in the round)
configs=(
  "floor-entry||hot_floor $cp $hot_probe"
  "floor-entry-exits||hot_floor $cp $hot_probe ${hot_exits[*]}"
  "funcs|floor-entry|hot_gotrace funcs $wl main.hot"
  "funcs-where-none|floor-entry|hot_gotrace funcs $wl main.hot --where i<0"
  "funcs-where-all|funcs|hot_gotrace funcs $wl main.hot --where i>=0"
  "latency|floor-entry-exits|hot_gotrace latency $wl main.hot"
  "latency-where-none|floor-entry-exits|hot_gotrace latency $wl main.hot --where i<0"
  "latency-by|latency|hot_gotrace latency $wl main.hot --by i<$half"
  "latency-by-overflow|latency|hot_gotrace latency $wl main.hot --by i --max-keys $cap"
)

# check NAME: what the configuration's output must show, or the script stops: funcs ends with
# "N calls in T s, D dropped"; latency prints a "main.hot  KEY  count N" line per key.
check() {
  local all n d
  all=$(cat "$tmp/$1.out" "$tmp/$1.err")
  n=$(grep -oE '^[0-9]+ calls? in ' <<<"$all" | tail -n 1 | awk '{print $1}' || true)
  case $1 in
    funcs)
      [ "${n:-0}" -gt 0 ] || { echo "bench: funcs counted no call of main.hot" >&2; tail -n 5 "$tmp/$1.err" >&2; exit 1; } ;;
    funcs-where-none)
      [ "${n:-x}" = 0 ] || { echo "bench: funcs --where 'i<0' did not show 0 calls (summary: ${n:-none})" >&2
        tail -n 5 "$tmp/$1.err" >&2; exit 1; } ;;
    funcs-where-all)
      d=$(grep -oE '^[0-9]+ calls? in .*, [0-9]+ dropped' <<<"$all" | tail -n 1 | grep -oE '[0-9]+ dropped' | awk '{print $1}' || true)
      [ $(( ${n:-0} + ${d:-0} )) = "$calls" ] || { echo "bench: funcs --where 'i>=0' showed ${n:-no} calls and ${d:-?} dropped, not $calls" >&2
        tail -n 5 "$tmp/$1.err" >&2; exit 1; } ;;
    latency-where-none)
      if grep -qE '^main\.hot +count' <<<"$all"; then
        echo "bench: latency --where 'i<0' timed calls:" >&2; grep -E '^main' "$tmp/$1.out" >&2; exit 1
      fi
      grep -q 'with no calls' <<<"$all" || { echo "bench: latency --where 'i<0' did not say main.hot had no calls" >&2
        tail -n 8 "$tmp/$1.out" >&2; exit 1; } ;;
    latency-by)
      grep -qE "main\.hot +i<$half=true +count $half " <<<"$all" \
        && grep -qE "main\.hot +i<$half=false +count $((calls - half)) " <<<"$all" \
        || { echo "bench: latency --by 'i<$half' did not count $half calls under each key:" >&2
          grep -E '^main' "$tmp/$1.out" >&2; exit 1; } ;;
    latency-by-overflow)
      grep -qE "main\.hot +\(other\) +count $((calls - cap)) " <<<"$all" \
        || { echo "bench: latency --by i --max-keys $cap did not count $((calls - cap)) calls as (other):" >&2
          grep -E '^main' "$tmp/$1.out" | tail -n 3 >&2; exit 1; } ;;
  esac
}

hot_rounds
nsites=$((1 + ${#hot_exits[@]}))
{
  echo "Cost of \`--where\` and \`--by\` on \`main.hot(i)\` in the workload's tight loop (\`-mode loop -n $calls\`, i = 0 … $((calls - 1))); $runs rounds, each configuration once per round right after its peer; ns/call the median over rounds; a ratio the median over rounds of ns/call ÷ the peer's in the same round. Target CPU is the workload's user + system time per call (the traps and eBPF programs are charged to it; preemption does not inflate it)."
  echo
  echo "| configuration | ns/call | target CPU ns/call | peer | ratio to the peer | round ratios (min–max) | CPU ratio | notes |"
  echo "|---|---:|---:|---|---:|---:|---:|---|"
  hot_row "**floor**: return-only program, entry (1 probe)" floor-entry "" "uprobe_multi link, like gotrace"
  hot_row "**floor**: return-only program, entry + exits ($nsites probes)" floor-entry-exits "" ""
  hot_row "gotrace funcs main.hot" funcs "floor, entry" "a ring-buffer record per call"
  hot_row "gotrace funcs main.hot --where 'i < 0'" funcs-where-none "floor, entry" "every call rejected in the kernel: no record"
  hot_row "gotrace funcs main.hot --where 'i >= 0'" funcs-where-all "funcs" "every call passes: the test, then the record"
  hot_row "gotrace latency main.hot" latency "floor, entry + exits" "in-kernel histogram"
  hot_row "gotrace latency main.hot --where 'i < 0'" latency-where-none "floor, entry + exits" "every call rejected at the entry: nothing in flight, the exit finds no entry"
  hot_row "gotrace latency main.hot --by 'i < $half'" latency-by "latency" "two keys (true, false), $half calls each"
  hot_row "gotrace latency main.hot --by i --max-keys $cap" latency-by-overflow "latency" "$calls distinct keys: $cap keyed, the rest counted as (other)"
} >"$results/where.md"

# goal<TAB>target<TAB>measured<TAB>verdict, one line per goal of issue 18
{
  hot_goal "a call rejected by --where (funcs main.hot --where 'i < 0'), vs the floor on the same probe" \
    funcs-where-none "the floor" 1.05 "${BENCH_WHY_WHERE:-the entry program runs its test (cookie, group, one register load and compare) where the floor only returns}"
  hot_goal "a call rejected by latency --where (latency main.hot --where 'i < 0'), vs the floor on the same probes" \
    latency-where-none "the floor" 1.05 "${BENCH_WHY_LATENCY_WHERE:-the exit program looking up an entry that the rejected call never stored}"
  hot_goal "a --by call (latency main.hot --by 'i < N/2', 2 keys), vs latency without --by" \
    latency-by "latency" 1.05 "${BENCH_WHY_BY:-the keyed map update per call (hash lookup of the key, atomic adds)}"
  hot_goal "a --by call past the key cap (latency --by i --max-keys $cap, $calls keys), vs latency without --by" \
    latency-by-overflow "latency" 1.05 "${BENCH_WHY_OVERFLOW:-the failed insert into the full keyed map before the (other) row}"
} >"$results/where.goals.tsv"
cat "$results/where.md"
cat "$results/where.goals.tsv"
