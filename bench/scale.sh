#!/usr/bin/env bash
# Scale: latency and top with thousands of functions. Traces a running Prometheus (Debian sid's
# stripped build, bench_prometheus; it scrapes itself every second) by pid:
#   - about 68,000 functions (about 198,000 probes): the time from launch to the banner (planned
#     and attached) and to the table with --duration 3s, the snapshot (table − banner − 3 s), peak
#     RSS against `gotrace list --sites` on the same pattern (the plan's own memory), Ctrl-C
#     (SIGINT) while tracing and while attaching: signal → table printed, signal → exit;
#   - the --interval 1s tables of top (plain, stdout not a terminal) there too;
#   - about 2,600 functions: when the --interval 2s tables of latency and the --interval 1s
#     tables of top come.
# Writes bench/results/scale.md and bench/results/scale.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
set -m # background jobs get their own process group, so they do not ignore SIGINT
prom=$(bench_prometheus)
big=${BENCH_SCALE_BIG:-'re:^(k8s\.io|google\.golang\.org|github\.com/prometheus)/'}
small=${BENCH_SCALE_SMALL:-'re:^github\.com/prometheus/prometheus/(tsdb|scrape|storage|model)'}
port=${BENCH_SCALE_PORT:-19093}
tmp=$(mktemp -d)
cat >"$tmp/prom.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: self
    static_configs:
      - targets: ['127.0.0.1:$port']
EOF
"$prom" --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/data" --web.listen-address="127.0.0.1:$port" \
  >"$tmp/prom.log" 2>&1 </dev/null &
ppid=$!
trap 'kill "$ppid" 2>/dev/null; wait "$ppid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 600); do grep -q 'ready to receive' "$tmp/prom.log" && break; sleep 0.1; done
grep -q 'ready to receive' "$tmp/prom.log" || { echo "bench: scale: prometheus did not start" >&2; tail -5 "$tmp/prom.log" >&2; exit 1; }

ms() { echo $(( ($2 - $1) / 1000000 )); } # ms FROM_NS TO_NS

# peak KB: VmHWM of pid $1 until it exits (polled every 20 ms); also sets the globals below
watch_pid() { # PID OUTFILE ERRFILE -> sets t_banner t_table t_exit (ns), hwm, rss_banner (KB: RSS once attached)
  local pid=$1 out=$2 err=$3 h
  t_banner=""; t_table=""; hwm=0; rss_banner=0
  while kill -0 "$pid" 2>/dev/null; do
    h=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$h" ] && hwm=$h
    if [ -z "$t_banner" ] && grep -qs 'Ctrl-C to end' "$err"; then
      t_banner=$(now_ns)
      rss_banner=$(awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    fi
    [ -z "$t_table" ] && grep -qs -e 'not shown' "$out" && t_table=$(now_ns)
    sleep 0.02
  done
  wait "$pid" || true
  t_exit=$(now_ns)
  [ -n "$t_table" ] || t_table=$t_exit
}

# list_rss PATTERN: peak RSS (MB) of `gotrace list --sites` on the pattern (the plan's memory)
list_rss() {
  "$root/gotrace" list "$prom" "$1" --sites >/dev/null 2>&1 &
  local pid=$! t_banner t_table t_exit hwm
  watch_pid "$pid" /dev/null /dev/null
  echo $((hwm / 1024))
}

# 1. ~68k functions, --duration 3s
t0=$(now_ns)
"$root/gotrace" latency "$big" -p "$ppid" --duration 3s --max-sites 10000000 >"$tmp/d.out" 2>"$tmp/d.err" &
watch_pid $! "$tmp/d.out" "$tmp/d.err"
[ -n "$t_banner" ] || { echo "bench: scale: latency did not start" >&2; cat "$tmp/d.err" >&2; exit 1; }
what=$(grep -o 'Timing [0-9]* functions ([0-9]* probes)' "$tmp/d.err" | sed 's/Timing //')
fns=$(grep -o '^Timing [0-9]*' "$tmp/d.err" | grep -o '[0-9]*')
d_attach=$(ms "$t0" "$t_banner"); d_table=$(ms "$t0" "$t_table"); d_exit=$(ms "$t0" "$t_exit")
d_snap=$(( $(ms "$t_banner" "$t_table") - 3000 )); d_rss=$((hwm / 1024)); d_attached=$((rss_banner / 1024))
shown=$(grep -c '  count ' "$tmp/d.out" || true)
note=$(grep -o '… .*' "$tmp/d.out" | tail -1)
echo "bench: scale: $what: banner $d_attach ms, table $d_table ms, exit $d_exit ms, snapshot $d_snap ms, peak $d_rss MB" >&2
big_list=$(list_rss "$big")

# 2. ~68k functions, Ctrl-C 3 s after the banner; 3. Ctrl-C while attaching (at the first link)
sigint() { # MODE: traced|attach; sets s_table s_exit (ms after the signal, s_table "none" without a table) s_links
  # (no command substitution: a subshell has no job control, and its background jobs ignore SIGINT)
  "$root/gotrace" latency "$big" -p "$ppid" --max-sites 10000000 >"$tmp/i.out" 2>"$tmp/i.err" &
  local pid=$! links=0 t_sig
  for _ in $(seq 3000); do
    kill -0 "$pid" 2>/dev/null || break
    if [ "$1" = traced ]; then
      grep -qs 'Ctrl-C to end' "$tmp/i.err" && { sleep 3; break; }
    else
      links=$(ls -l "/proc/$pid/fd" 2>/dev/null | grep -c 'bpf_link' || true)
      [ "$links" -gt 0 ] && break
    fi
    sleep 0.02
  done
  t_sig=$(now_ns)
  kill -INT "$pid"
  watch_pid "$pid" "$tmp/i.out" "$tmp/i.err"
  s_links=$links
  s_exit=$(ms "$t_sig" "$t_exit")
  s_table=none
  if grep -qs 'Latency after' "$tmp/i.out"; then s_table=$(ms "$t_sig" "$t_table"); fi
}
sigint traced; i_table=$s_table; i_exit=$s_exit
echo "bench: scale: SIGINT while tracing: table after $i_table ms, exit after $i_exit ms" >&2
sigint attach; a_table=$s_table; a_exit=$s_exit; a_links=$s_links
echo "bench: scale: SIGINT while attaching ($a_links links made): table after $a_table ms, exit after $a_exit ms" >&2

# 4. ~2,600 functions: latency --interval 2s and top --interval 1s, the times of the tables
gaps() { # FILE PREFIX: the gaps (s) between the lines starting with PREFIX, from the stamps
  awk -v p="$2" 'index(substr($0, index($0, " ") + 1), p) == 1 {t = $1 / 1e9; if (n++) printf "%.1f ", t - last; last = t}' "$1"
}
# only the first line of each table is stamped (stamp forks per line, slower than a table is printed)
"$root/gotrace" latency "$small" -p "$ppid" --interval 2s --duration 11s --max-sites 100000 2>"$tmp/s.err" \
  | grep --line-buffered '^Latency' | stamp >"$tmp/s.out"
small_fns=$(grep -o '^Timing [0-9]* functions ([0-9]* probes)' "$tmp/s.err" | sed 's/Timing //')
l_gaps=$(gaps "$tmp/s.out" "Latency so far") # the --interval tables, not the last one at --duration
"$root/gotrace" top "$small" -p "$ppid" --interval 1s --duration 8s --max-sites 100000 2>/dev/null \
  | grep --line-buffered '^gotrace top' | stamp >"$tmp/t.out"
t_gaps=$(gaps "$tmp/t.out" "gotrace top")
echo "bench: scale: $small_fns: latency --interval 2s gaps: $l_gaps; top --interval 1s gaps: $t_gaps" >&2
"$root/gotrace" top "$big" -p "$ppid" --interval 1s --duration 8s --max-sites 10000000 2>/dev/null \
  | grep --line-buffered '^gotrace top' | stamp >"$tmp/tb.out"
tb_gaps=$(gaps "$tmp/tb.out" "gotrace top")
echo "bench: scale: $what: top --interval 1s gaps: $tb_gaps" >&2
small_list=$(list_rss "$small")
"$root/gotrace" latency "$small" -p "$ppid" --duration 3s --max-sites 100000 >/dev/null 2>"$tmp/s2.err" &
watch_pid $! /dev/null "$tmp/s2.err"
small_rss=$((hwm / 1024)); small_attached=$((rss_banner / 1024))

# lag FILE PREFIX INTERVAL SKIP_LAST: the worst distance (s) of a table from its place on the
# interval grid that starts at the first table (the last one, at --duration's end, left out with 1)
lag() {
  awk -v p="$2" -v i="$3" 'index(substr($0, index($0, " ") + 1), p) == 1 {t[n++] = $1 / 1e9}
    END {for (k = 1; k < n - '"$4"'; k++) {d = t[k] - t[0] - k * i; if (d < 0) d = -d; if (d > m) m = d}; printf "%.1f", m}' "$1"
}
worst() { tr ' ' '\n' | awk 'NF {d = $1 - t; if (d < 0) d = -d; if (d > m) m = d} END {printf "%.1f", m}' t="$1"; }
l_worst=$(worst 2 <<<"$l_gaps"); t_worst=$(lag "$tmp/t.out" "gotrace top" 1 1)
# the last gap of top is to the table at --duration's end, not an --interval one
tb_worst=$(lag "$tmp/tb.out" "gotrace top" 1 1)
{
  echo "\`gotrace latency\` and \`top\` on a running Prometheus (Debian sid's stripped build, scraping itself every second), by pid. Large: \`$big\`, $what; small: \`$small\`, $small_fns."
  echo
  echo "| measure | large ($fns functions) | small |"
  echo "|---|---:|---:|"
  echo "| launch → banner (planned and attached) | $d_attach ms | |"
  echo "| launch → table, \`--duration 3s\` | $d_table ms | |"
  echo "| snapshot: table − banner − 3 s | $d_snap ms | |"
  echo "| launch → exit (probes detached) | $d_exit ms | |"
  echo "| functions in the table (the rest: \"$note\") | $shown | |"
  echo "| SIGINT while tracing → table / → exit | $i_table ms / $i_exit ms | |"
  echo "| SIGINT while attaching ($a_links links of ≤ 8,192 probes made) → table / → exit | $a_table ms / $a_exit ms | |"
  echo "| RSS of \`latency --duration 3s\` once attached (plan, binary, kernel objects) | $d_attached MB | $small_attached MB |"
  echo "| peak RSS of \`latency --duration 3s\` (snapshot, table, detach included) | $d_rss MB | $small_rss MB |"
  echo "| peak RSS of \`list --sites\` (the plan's own) | $big_list MB | $small_list MB |"
  echo "| \`latency --interval 2s\`: seconds between tables | | $l_gaps |"
  echo "| \`top --interval 1s\` (plain): seconds between tables | $tb_gaps | $t_gaps |"
} >"$results/scale.md"
cat "$results/scale.md"
verdict() { awk -v m="$1" -v t="$2" -v r="$3" 'BEGIN {print (m != "none" && m + 0 <= t + 0) ? "met" : "not met: " m " " r}'; }
extra_big=$((d_rss - d_attached)); extra_small=$((small_rss - small_attached))
{
  printf 'snapshot at %s functions (scale.sh)\t<= 1000 ms\t%s ms\t%s\n' "$fns" "$d_snap" "$(verdict "$d_snap" 1000 ms)"
  printf -- '--duration 3s honoured at %s functions: table within 1 s of the end\t<= 1000 ms\t%s ms\t%s\n' "$fns" "$d_snap" "$(verdict "$d_snap" 1000 ms)"
  printf 'SIGINT while tracing %s functions → table\t<= 1000 ms\t%s ms\t%s\n' "$fns" "$i_table" "$(verdict "$i_table" 1000 ms)"
  printf 'SIGINT while attaching %s functions → table\t<= 1000 ms\t%s ms\t%s\n' "$fns" "$a_table" "$(verdict "$a_table" 1000 ms)"
  printf 'RSS beyond the attached plan (peak − RSS once attached) at %s functions (%s at %s)\t<= 64 MB\t%s MB\t%s\n' \
    "$fns" "$extra_small MB" "${small_fns%% *}" "$extra_big" "$(verdict "$extra_big" 64 MB)"
  printf 'latency --interval 2s at %s: worst gap from 2 s\t<= 0.2 s\t%s s\t%s\n' "$small_fns" "$l_worst" "$(verdict "$l_worst" 0.2 s)"
  printf 'top --interval 1s at %s functions: worst distance from the 1 s schedule\t<= 0.2 s\t%s s\t%s\n' "$fns" "$tb_worst" "$(verdict "$tb_worst" 0.2 s)"
  printf 'top --interval 1s at %s: worst distance from the 1 s schedule\t<= 0.2 s\t%s s\t%s\n' "$small_fns" "$t_worst" "$(verdict "$t_worst" 0.2 s)"
} >"$results/scale.goals.tsv"
cat "$results/scale.goals.tsv"
