#!/usr/bin/env bash
# All the benchmarks in one command (as root; about 20 minutes):
#   1. per-call overhead vs the uprobe floor and bpftrace 0.27 (overhead.sh)
#   2. attach time vs number of functions, vs bpftrace       (attach.sh)
#   3. analysis time of large Go binaries vs go tool nm      (list-analysis.sh)
#   4. event throughput and drops                            (throughput.sh)
#   5. tracer memory during a 60 s trace                     (memory.sh)
#   6. time from launch to first event vs bpftrace           (first-event.sh)
#   7. detach time per command, SIGTERM to exit              (detach.sh)
#   8. latency and top at 68k and 2.9k functions (Prometheus) (scale.sh)
#   9. the cost of --where and --by (issue 18)                (where.sh)
#  10. the cost of Go stacks, vs bpftrace ustack (issue 19)   (stacks.sh)
#  11. the cost of exporting, vs Prometheus' own /metrics (issue 20) (export.sh)
#  12. the Debian package: Debian's JRE vs a jlink runtime, AppCDS (issue 21) (package.sh)
# Each writes bench/results/<name>.md; this script joins them with the machine description
# into bench/results.md and prints it. The 10-minute soak is separate: bench/soak.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_root
ensure_bpftrace
(cd "$root" && mvn -q -B -o -pl cli -am -DskipTests package)
started=$(date +%s)
# BENCH_STEPS runs some of them again; the report joins the latest result of each.
for step in ${BENCH_STEPS:-overhead attach list-analysis throughput memory first-event detach scale where stacks export package}; do
  echo "bench: === $step ===" >&2
  bash "$here/$step.sh" >/dev/null
done
out=$root/bench/results.md
# The goals of issue 16 beside what this run measured: each step writes its own lines
# (goal, target, measured, verdict) to results/<step>.goals.tsv.
goals() {
  echo "| goal | target | measured | verdict |"
  echo "|---|---|---|---|"
  for step in overhead first-event attach detach list-analysis throughput memory soak scale where stacks export package; do
    [ -f "$results/$step.goals.tsv" ] || continue
    awk -F'\t' 'NF >= 4 {printf "| %s | %s | %s | %s |\n", $1, $2, $3, ($4 == "met" ? "met" : "**" $4 "**")}' "$results/$step.goals.tsv"
  done
}
{
  echo "# gotrace benchmarks"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`bash bench/run.sh\` in $(( ($(date +%s) - started) / 60 )) min (steps: ${BENCH_STEPS:-all}; a step not run keeps its previous result)."
  echo "Machine: $(machine)."
  echo
  echo "## Goals"; echo; goals; echo
  echo "## 1. Per-call overhead"; echo; cat "$results/overhead.md"; echo
  echo "## 2. Attach time"; echo; cat "$results/attach.md"; echo
  echo "## 3. Analysis time"; echo; cat "$results/list-analysis.md"; echo
  echo "## 4. Event throughput"; echo; cat "$results/throughput.md"; echo
  echo "## 5. Tracer memory"; echo; cat "$results/memory.md"; echo
  echo "## 6. Time to first event"; echo; cat "$results/first-event.md"; echo
  echo "## 7. Detach time"; echo; cat "$results/detach.md"; echo
  echo "## 8. Scale: latency and top with thousands of functions"; echo; cat "$results/scale.md"; echo
  echo "## 9. --where and --by"; echo; cat "$results/where.md"; echo
  echo "## 10. Go stacks"; echo; [ -f "$results/stacks.md" ] && cat "$results/stacks.md"; echo
  echo "## 11. Exporting"; echo; [ -f "$results/export.md" ] && cat "$results/export.md"; echo
  echo "## 12. The Debian package"; echo; [ -f "$results/package.md" ] && cat "$results/package.md"
} >"$out"
cat "$out"
