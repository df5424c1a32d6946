#!/usr/bin/env bash
# Benchmark 2: attach time vs number of probed functions, gotrace funcs vs bpftrace, on the
# same functions of an unstripped cmd/go that nothing runs (so no probe fires).
# gotrace: from the start of the command to its "Tracing N functions ..." line (JVM start,
# reading the binary, planning, loading, one uprobe_multi link), then until it has exited
# after --duration 1s (detach). bpftrace: from its start until the command given with -c runs
# (bpftrace starts it once every probe is attached), then until bpftrace has exited.
# Sizes: BENCH_SITES (default 10 100 1000 10000); bpftrace up to BENCH_BPFTRACE_MAX (1000:
# its perf-event probes take about 0.1 s each to detach, 10,000 would take ~20 min).
# Writes bench/results/attach.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
ensure_bpftrace
bin=$(big go)
sizes=${BENCH_SITES:-10 100 1000 10000}
btmax=${BENCH_BPFTRACE_MAX:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Functions both tools can name: probe-able by gotrace (status ok) and plain symbols that
# bpftrace's probe syntax accepts (path/pkg.Func, no receivers, closures or generics).
# Beyond those (only gotrace goes past 1,000), any other function gotrace can probe.
gotrace list "$bin" --json | grep '"status":"ok"' | grep -o '"name":"[^"]*"' | cut -d'"' -f4 | sort -u >"$tmp/all"
grep -E '^[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*\.[A-Za-z0-9_]+$' "$tmp/all" | shuf --random-source=<(yes) >"$tmp/names"
both=$(wc -l <"$tmp/names")
grep -v -x -F -f "$tmp/names" "$tmp/all" | grep -v '[[\\]' | shuf --random-source=<(yes) >>"$tmp/names"
avail=$(wc -l <"$tmp/names")
echo "bench: $avail functions of $bin, $both of them nameable in bpftrace" >&2

with_ms() { case $1 in ''|*[!0-9-]*) echo "$1" ;; *) echo "$1 ms" ;; esac; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", (b - a) / 1e6}'; }

{
  echo "Attach time on \`$(basename "$(dirname "$bin")")/$(basename "$bin")\` (unstripped cmd/go, $(gotrace list "$bin" --json | wc -l) functions; nothing runs it, so no probe fires). \"Attached\" is from the start of the command until the probes are live; \"detached\" from then until the process has exited (gotrace: minus its --duration 1s)."
  echo
  echo "| functions | gotrace funcs: attached | gotrace: detached + exit | bpftrace: attached | bpftrace: detached + exit |"
  echo "|---:|---:|---:|---:|---:|"
  for n in $sizes; do
    [ "$n" -le "$avail" ] || { echo "bench: only $avail functions, skipping $n" >&2; continue; }
    mapfile -t names < <(head -n "$n" "$tmp/names")
    t0=$(now_ns)
    { "$root/gotrace" funcs "$bin" "${names[@]}" --max-sites $((2 * n + 100)) --duration 1s 2>&1 >/dev/null; } \
      | stamp >"$tmp/gt" || true
    t2=$(now_ns)
    t1=$(awk '/ Tracing /{print $1; exit}' "$tmp/gt")
    [ -n "$t1" ] || { echo "bench: gotrace did not attach $n functions:" >&2; cat "$tmp/gt" >&2; exit 1; }
    traced=$(grep -o 'Tracing [0-9]* functions' "$tmp/gt" | awk '{print $2}' || true)
    g_att=$(ms "$t0" "$t1"); g_det=$(( $(ms "$t1" "$t2") - 1000 ))
    b_att="not run"; b_det="not run"
    if [ "$n" -le "$btmax" ] && [ "$n" -le "$both" ]; then
      # bpftrace 0.27 refuses a script with a name it cannot resolve unless told to skip it
      { echo 'config = { missing_probes = "ignore" }'
        printf "uprobe:$bin:%s,\n" "${names[@]}" | sed '$ s/,$//'; echo '{ @calls = count(); }'; } >"$tmp/script.bt"
      t0=$(now_ns)
      # one perf-event descriptor per probe: lift the default limit of 1,024 open files
      # (and bpftrace's own default limit of 512 probes)
      (ulimit -n "$(ulimit -Hn)"; BPFTRACE_MAX_PROBES=$((n + 100)) bpftrace "$tmp/script.bt" -c "/bin/date +%s%N") \
        >"$tmp/bt" 2>"$tmp/bt.err" || true
      t2=$(now_ns)
      t1=$(grep -E '^[0-9]{19}$' "$tmp/bt" | head -1 || true)
      if [ -n "$t1" ]; then
        b_att=$(ms "$t0" "$t1"); b_det=$(ms "$t1" "$t2")
        probes=$(cat "$tmp/bt" "$tmp/bt.err" | grep -oE 'Attach(ing|ed) [0-9]+ probe' | awk '{print $2}' | head -1 || true)
        [ "$probes" = "$n" ] || b_att="$b_att ms ($probes probes)"
      else
        echo "bench: bpftrace failed on $n functions:" >&2; head -5 "$tmp/bt" "$tmp/bt.err" >&2
        b_att="failed"; b_det="—"
      fi
    fi
    echo "bench: $n functions: gotrace $g_att / $g_det ms, bpftrace $b_att / $b_det ms" >&2
    note=""; [ "$traced" = "$n" ] || note=" (gotrace: $traced; a name, or a method's '*' read as a glob, can match several)"
    echo "| $n$note | $(with_ms "$g_att") | $(with_ms "$g_det") | $(with_ms "$b_att") | $(with_ms "$b_det") |"
  done
} >"$results/attach.md"
cat "$results/attach.md"
