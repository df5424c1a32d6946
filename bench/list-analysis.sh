#!/usr/bin/env bash
# Benchmark: static analysis of large Go binaries.
# `gotrace list BIN --sites --json` (every function, with its probe entry and exit sites)
# side by side, in the same run, with two peers:
#   - Go's debug/gosym reading the function table alone (bench/gosym: NewLineTable + NewTable,
#     every function walked), the goal's yardstick;
#   - `go tool nm BIN` on the unstripped toolchain commands (nm needs a symbol table).
# Binaries: Debian sid's stripped prometheus (about 130,000 functions, bench_prometheus) and
# unstripped builds of the Go toolchain's go, compile and link (built from the cached sources).
# Also `gotrace list PROMETHEUS ONE_FUNCTION --sites`: one function of a 130k-function binary.
# Reports best-of-N wall time, functions/s, MB/s of machine code decoded, and peak RSS.
# Writes bench/results/list-analysis.md and list-analysis.goals.tsv and prints the table.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
series=${GOTRACE_BENCH_GO:-1.24}
goroot=$cache/toolchains/go$series/usr/lib/go-$series
prom=$(bench_prometheus)
gosym=$(bench_gosym)
for cmd in go compile link; do big "$cmd" >/dev/null; done
ensure_jar
nm=$goroot/pkg/tool/linux_amd64/nm
runs=${GOTRACE_BENCH_RUNS:-3}
one=${GOTRACE_BENCH_ONE:-github.com/prometheus/prometheus/tsdb.Open}

# best-of-N wall seconds (ms resolution) and the peak RSS (KB) of that run; fails when the command does
measure() {
  local best="" rss=""
  for _ in $(seq "$runs"); do
    local t0 t1 tf s m
    tf=$(mktemp)
    t0=$(now_ns)
    /usr/bin/time -o "$tf" -f '%M' "$@" >/dev/null 2>/dev/null || { rm -f "$tf"; echo "bench: failed: $*" >&2; return 1; }
    t1=$(now_ns)
    m=$(tail -1 "$tf"); rm -f "$tf"
    s=$(awk "BEGIN{printf \"%.3f\", ($t1 - $t0) / 1e9}")
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$m; fi
  done
  echo "$best $rss"
}

ratio() { awk "BEGIN{printf \"%.2f\", $1/$2}"; }

out=$results/list-analysis.md
goals=$results/list-analysis.goals.tsv
rows=()
prom_ratio="" prom_gt="" prom_st=""
for bin in "$prom" go compile link; do
  if [ "$bin" = "$prom" ]; then
    label="prometheus (Debian sid, stripped, $("$root/gotrace" info "$bin" | awk '$1=="go"{print $2}'))"
  else
    label="$bin (Go $series, unstripped)"
    bin=$(big "$bin")
  fi
  size=$(du -m "$bin" | cut -f1)
  funcs=$("$root/gotrace" list "$bin" --json | grep -vc '"inlinedOnly":true' || true)
  hex=$(objdump -h "$bin" | awk '$2==".text"{print $3}')
  text=$(awk "BEGIN{printf \"%.1f\", $((16#$hex))/1048576}")
  gosym_funcs=$("$gosym" "$bin" | awk '{print $1}')
  read -r gt grss < <(measure "$root/gotrace" list "$bin" --sites --json)
  read -r st srss < <(measure "$gosym" "$bin")
  if [ "$bin" = "$prom" ]; then
    nmcol="— (stripped)"
    prom_ratio=$(ratio "$gt" "$st"); prom_gt=$gt; prom_st=$st
  else
    read -r nt nrss < <(measure "$nm" "$bin")
    nmcol="${nt} s, $((nrss/1024)) MB"
  fi
  fps=$(awk "BEGIN{printf \"%.0f\", $funcs/$gt}")
  mbs=$(awk "BEGIN{printf \"%.1f\", $text/$gt}")
  rows+=("| $label | ${size} MB | $funcs (gosym: $gosym_funcs) | $text | ${gt} s | $fps | $mbs | $((grss/1024)) MB | ${st} s, $((srss/1024)) MB | **$(ratio "$gt" "$st")×** | $nmcol |")
done
read -r ot orss < <(measure "$root/gotrace" list "$prom" "$one" --sites)
read -r vt _ < <(measure "$root/gotrace" --version)

# Allocation per decoded instruction: JMH PrometheusSitesBench with -prof gc (bench/jmh), against
# the 238.6 B/insn the same benchmark measured before the allocation-free decode (commit dcdca91).
alloc_before=238.6
alloc=""
if [ "${GOTRACE_BENCH_JMH:-1}" != 0 ]; then
  (cd "$root" && mvn -q -B -o -Pjmh -pl bench/jmh -am -DskipTests package >&2)
  jmh_log=$results/list-analysis.jmh.txt
  java -jar "$root/bench/jmh/target/benchmarks.jar" PrometheusSitesBench -prof gc -wi 3 -i 3 >"$jmh_log" 2>&1
  insns=$(awk '/instructions per operation/{for(i=1;i<=NF;i++) if ($(i+1)=="instructions") {print $i; exit}}' "$jmh_log")
  norm=$(awk '$1=="PrometheusSitesBench.sites:gc.alloc.rate.norm"{print $4}' "$jmh_log")
  ms=$(awk '$1=="PrometheusSitesBench.sites"{print $4}' "$jmh_log")
  [ -n "$insns" ] && [ -n "$norm" ] && alloc=$(awk "BEGIN{printf \"%.1f\", $norm/$insns}")
fi
{
  echo "| binary | size | functions | text MB | gotrace list --sites --json | functions/s | text MB/s | peak RSS | debug/gosym (function table only) | gotrace ÷ gosym | go tool nm |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "One function of the 130k-function binary: \`gotrace list prometheus $one --sites\` ${ot} s, peak RSS $((orss/1024)) MB; \`gotrace --version\` (JVM start alone) ${vt} s."
  if [ -n "$alloc" ]; then
    echo
    echo "Site analysis of every 16th prometheus function (JMH PrometheusSitesBench, warm, one thread): ${ms} ms per $insns instructions, **${alloc} bytes allocated per decoded instruction** (before the allocation-free decode: ${alloc_before})."
  fi
  echo
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg); best of $runs runs; times are wall seconds of the whole process (JVM start included)."
} >"$out"
met=$(awk "BEGIN{print ($prom_ratio <= 2.0) ? \"met\" : \"not met: ${prom_ratio}× (gotrace ${prom_gt} s, gosym ${prom_st} s wall; gotrace --version, the JVM start alone, takes ${vt} s)\"}")
{
  printf '%s\t%s\t%s\t%s\n' \
    "list --sites --json over all functions of a 130k-function binary (Debian's prometheus) vs Go's debug/gosym function table" \
    "≤ 2.00× gosym" "${prom_ratio}× (${prom_gt} s vs ${prom_st} s)" "$met"
  if [ -n "$alloc" ]; then
    amet=$(awk "BEGIN{print ($alloc < $alloc_before) ? \"met\" : \"not met: ${alloc} B/insn\"}")
    printf '%s\t%s\t%s\t%s\n' "allocation per decoded instruction (JMH -prof gc, site analysis of prometheus)" \
      "< ${alloc_before} B/insn (before)" "${alloc} B/insn" "$amet"
  fi
} >"$goals"
cat "$out"
cat "$goals"
