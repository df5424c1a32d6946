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

# the configurations to run: BENCH_CONFIGS (default all) and their peers; the floors always
declare -A want
for c in "${configs[@]}"; do
  IFS='|' read -r name against _ <<<"$c"
  if [ -z "${BENCH_CONFIGS:-}" ] || [[ " $BENCH_CONFIGS " == *" $name "* ]] || [[ $name == floor-* ]]; then
    want[$name]=1
    [ -z "$against" ] || want[$against]=1
  fi
done
selected() { [ -n "${want[$1]:-}" ]; }

declare -A vals cvals peer
for round in $(seq "$runs"); do
  for c in "${configs[@]}"; do
    IFS='|' read -r name against cmd <<<"$c"
    selected "$name" || continue
    # shellcheck disable=SC2086 # the command is words
    hot_once "$name" $cmd >"$tmp/v" || exit 1
    check "$name"
    read -r v cv <"$tmp/v"
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
ratio() { median <"$tmp/$1.ratios"; }
spread() { sort -g "$tmp/$1.ratios" | awk 'NR==1{lo=$1} {hi=$1} END{printf "%.2f–%.2f", lo, hi}'; }
cratio() { median <"$tmp/$1.cratios"; }
for c in "${configs[@]}"; do
  IFS='|' read -r name _ _ <<<"$c"
  selected "$name" || continue
  echo "bench: $name: wall ${vals[$name]}ns/call, cpu ${cvals[$name]}ns/call${peer[$name]:+; wall ratios $(tr '\n' ' ' <"$tmp/$name.ratios")cpu ratios $(tr '\n' ' ' <"$tmp/$name.cratios")}" >&2
done

row() { # configuration-text config peer-text note
  selected "$2" || return 0
  local r="" cr="" sp="—"
  if [ -n "${peer[$2]}" ]; then r=$(ratio "$2"); cr=$(cratio "$2"); sp=$(spread "$2"); fi
  awk -v n="$1" -v v="$(med "$2")" -v c="$(cmed "$2")" -v p="$3" -v r="$r" -v sp="$sp" -v cr="$cr" -v note="$4" 'BEGIN{
    printf "| %s | %.1f | %.1f | %s | %s | %s | %s | %s |\n", n, v, c, (p == "" ? "—" : p),
      (r == "" ? "—" : sprintf("%.3f×", r)), sp, (cr == "" ? "—" : sprintf("%.3f×", cr)), note }'
}
nsites=$((1 + ${#hot_exits[@]}))
{
  echo "Cost of \`--where\` and \`--by\` on \`main.hot(i)\` in the workload's tight loop (\`-mode loop -n $calls\`, i = 0 … $((calls - 1))); $runs rounds, each configuration once per round right after its peer; ns/call the median over rounds; a ratio the median over rounds of ns/call ÷ the peer's in the same round. Target CPU is the workload's user + system time per call (the traps and eBPF programs are charged to it; preemption does not inflate it)."
  echo
  echo "| configuration | ns/call | target CPU ns/call | peer | ratio to the peer | round ratios (min–max) | CPU ratio | notes |"
  echo "|---|---:|---:|---|---:|---:|---:|---|"
  row "**floor**: return-only program, entry (1 probe)" floor-entry "" "uprobe_multi link, like gotrace"
  row "**floor**: return-only program, entry + exits ($nsites probes)" floor-entry-exits "" ""
  row "gotrace funcs main.hot" funcs "floor, entry" "a ring-buffer record per call"
  row "gotrace funcs main.hot --where 'i < 0'" funcs-where-none "floor, entry" "every call rejected in the kernel: no record"
  row "gotrace funcs main.hot --where 'i >= 0'" funcs-where-all "funcs" "every call passes: the test, then the record"
  row "gotrace latency main.hot" latency "floor, entry + exits" "in-kernel histogram"
  row "gotrace latency main.hot --where 'i < 0'" latency-where-none "floor, entry + exits" "every call rejected at the entry: nothing in flight, the exit finds no entry"
  row "gotrace latency main.hot --by 'i < $half'" latency-by "latency" "two keys (true, false), $half calls each"
  row "gotrace latency main.hot --by i --max-keys $cap" latency-by-overflow "latency" "$calls distinct keys: $cap keyed, the rest counted as (other)"
} >"$results/where.md"

# goal<TAB>target<TAB>measured<TAB>verdict, one line per goal of issue 18
goal() { # text config peer-text limit reason-if-not-met
  selected "$2" || return 0
  awk -v t="$1" -v r="$(ratio "$2")" -v cr="$(cratio "$2")" -v sp="$(spread "$2")" -v p="$3" -v l="$4" -v why="$5" 'BEGIN{
    printf "%s\t≤ %.2f× %s\t%.3f× wall (rounds %s), %.3f× target CPU (median of rounds)\t%s\n", t, l, p, r, sp, cr,
      (r <= l ? "met" : sprintf("not met: %.3f× wall, %.3f× target CPU; %s", r, cr, why)) }'
}
{
  goal "a call rejected by --where (funcs main.hot --where 'i < 0'), vs the floor on the same probe" \
    funcs-where-none "the floor" 1.05 "${BENCH_WHY_WHERE:-the entry program runs its test (cookie, group, one register load and compare) where the floor only returns}"
  goal "a call rejected by latency --where (latency main.hot --where 'i < 0'), vs the floor on the same probes" \
    latency-where-none "the floor" 1.05 "${BENCH_WHY_LATENCY_WHERE:-the exit program looking up an entry that the rejected call never stored}"
  goal "a --by call (latency main.hot --by 'i < N/2', 2 keys), vs latency without --by" \
    latency-by "latency" 1.05 "${BENCH_WHY_BY:-the keyed map update per call (hash lookup of the key, atomic adds)}"
  goal "a --by call past the key cap (latency --by i --max-keys $cap, $calls keys), vs latency without --by" \
    latency-by-overflow "latency" 1.05 "${BENCH_WHY_OVERFLOW:-the failed insert into the full keyed map before the (other) row}"
} >"$results/where.goals.tsv"
cat "$results/where.md"
cat "$results/where.goals.tsv"
