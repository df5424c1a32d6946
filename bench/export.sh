#!/usr/bin/env bash
# Benchmark: the cost of exporting (issue 20), in two parts.
#
# 1. Per call. The workload's tight loop of main.hot(i) under `gotrace latency main.hot`, alone
#    (the peer) and with `--prometheus` while curl scrapes /metrics ten times a second (far more
#    often than a Prometheus server would), in BENCH_RUNS rounds, each configuration right after
#    its peer; the ratio is the median over rounds of ns/call ÷ the peer's in the same round.
#    Exporting reads the kernel's maps only when asked, on the tracer's poll thread, so the traced
#    program should not notice it.
# 2. Per scrape. The demo server under load, traced by `gotrace latency 'net/http.*' --max-sites 8000 --prometheus`,
#    and a real Prometheus 3.5 server (Debian sid's, the peer) serving its own /metrics, scraped
#    alternately BENCH_SCRAPES times each with curl; the cost is the scrape's wall time per sample
#    line (the two official clients: Prometheus' Go client and gotrace's Java one), the ratio the
#    median over pairs of gotrace's per-sample time ÷ Prometheus'.
# Each configuration's output is checked (the series are there with calls), so a feature that
# does not work fails the script instead of measuring something else. Writes
# bench/results/export.md and export.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
wl=$(workload)
calls=${BENCH_CALLS:-200000}
runs=${BENCH_RUNS:-5}
scrapes=${BENCH_SCRAPES:-30}
tmp=$(mktemp -d)
bg=()
cleanup() {
  local p
  for p in "${bg[@]}"; do hot_leaves TERM "$p"; done
  sleep 0.5
  for p in "${bg[@]}"; do hot_leaves KILL "$p"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cp=$(floor_classpath)
hot_sites

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# scraped PORT ARGS...: gotrace ARGS (which serve /metrics on PORT), with curl scraping it every
# 100 ms while it runs; the scraper ends with the tracer (hot_traced signals both).
scraped() {
  local port=$1 g rc=0; shift
  gotrace "$@" &
  g=$!
  while kill -0 "$g" 2>/dev/null; do
    curl -s -m 2 -o /dev/null "http://127.0.0.1:$port/metrics" || true
    sleep 0.1 || true
  done
  wait "$g" || rc=$?
  return "$rc"
}

prom_port=$(free_port)
configs=(
  "floor-entry-exits||hot_floor $cp $hot_probe ${hot_exits[*]}"
  "latency|floor-entry-exits|hot_gotrace latency $wl main.hot"
  "latency-prometheus|latency|hot_traced Ctrl-C TERM scraped $prom_port latency $wl main.hot --prometheus 127.0.0.1:$prom_port"
)

check() {
  case $1 in
    latency-prometheus)
      grep -q "Serving metrics at http://127.0.0.1:$prom_port/metrics" "$tmp/$1.err" \
        || { echo "bench: latency --prometheus did not serve /metrics:" >&2; tail -n 5 "$tmp/$1.err" >&2; exit 1; } ;;
  esac
}

hot_rounds

# ---- part 2: the cost of one scrape, per sample, against Prometheus' own /metrics
server=$tmp/server
cp "$root/testdata/bin/server" "$server" # a private inode: nobody else's probes
sport=$(free_port)
"$server" -port "$sport" >"$tmp/server.log" 2>&1 &
bg+=($!)
gport=$(free_port)
gotrace latency "$server" 'net/http.*' --max-sites 8000 --prometheus "127.0.0.1:$gport" >"$tmp/g.out" 2>"$tmp/g.err" &
bg+=($!)
for _ in $(seq 600); do grep -qs 'Ctrl-C to end' "$tmp/g.err" && break; sleep 0.1; done
grep -qs 'Ctrl-C to end' "$tmp/g.err" || { echo "bench: gotrace latency 'net/http.*' did not attach:" >&2; tail -n 5 "$tmp/g.err" >&2; exit 1; }
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$sport/?name=bench&year=$((2000 + _ % 30))" || true; done

prom=$(bench_prometheus)
pport=$(free_port)
mkdir -p "$tmp/prom"
printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$pport" >"$tmp/prom/prometheus.yml"
"$prom" --config.file="$tmp/prom/prometheus.yml" --storage.tsdb.path="$tmp/prom/data" \
  --web.listen-address="127.0.0.1:$pport" --log.level=warn >"$tmp/prom/log" 2>&1 &
bg+=($!)
for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$pport/-/ready" && break; sleep 0.1; done
sleep 3 # a few self-scrapes and queries: its own metrics have values

# scrape URL FILE: prints the scrape's wall seconds
scrape() { curl -s -o "$2" -w '%{time_total}' "$1"; }
: >"$tmp/pairs"
for i in $(seq "$scrapes"); do
  tg=$(scrape "http://127.0.0.1:$gport/metrics" "$tmp/g.txt")
  tp=$(scrape "http://127.0.0.1:$pport/metrics" "$tmp/p.txt")
  ng=$(grep -vc '^#' "$tmp/g.txt" || true)
  np=$(grep -vc '^#' "$tmp/p.txt" || true)
  echo "$tg $ng $tp $np" >>"$tmp/pairs"
done
grep -q '^gotrace_calls_total{.*function="net/http\.' "$tmp/g.txt" \
  || { echo "bench: gotrace's /metrics has no net/http call counters:" >&2; head -n 20 "$tmp/g.txt" >&2; exit 1; }
fns=$(grep -c '^gotrace_calls_total{' "$tmp/g.txt")
gsamples=$(awk '{print $2}' "$tmp/pairs" | median)
psamples=$(awk '{print $4}' "$tmp/pairs" | median)
gus=$(awk '{printf "%.3f\n", $1 * 1e6 / $2}' "$tmp/pairs" | median)
pus=$(awk '{printf "%.3f\n", $3 * 1e6 / $4}' "$tmp/pairs" | median)
gms=$(awk '{printf "%.3f\n", $1 * 1e3}' "$tmp/pairs" | median)
pms=$(awk '{printf "%.3f\n", $3 * 1e3}' "$tmp/pairs" | median)
awk '{printf "%.4f\n", ($1 / $2) / ($3 / $4)}' "$tmp/pairs" >"$tmp/scrape.ratios"
sratio=$(median <"$tmp/scrape.ratios")
srange=$(sort -g "$tmp/scrape.ratios" | awk 'NR==1{lo=$1} {hi=$1} END{printf "%.2f–%.2f", lo, hi}')

{
  echo "Cost of exporting. Per call: \`main.hot(i)\` in the workload's tight loop (\`-mode loop -n $calls\`), $runs rounds, each configuration once per round right after its peer; ns/call the median over rounds, a ratio the median over rounds of ns/call ÷ the peer's in the same round; target CPU is the workload's user + system time per call."
  echo
  echo "| configuration | ns/call | target CPU ns/call | peer | ratio to the peer | round ratios (min–max) | CPU ratio | notes |"
  echo "|---|---:|---:|---|---:|---:|---:|---|"
  hot_row "**floor**: return-only program, entry + exits ($((1 + ${#hot_exits[@]})) probes)" floor-entry-exits "" ""
  hot_row "gotrace latency main.hot" latency "floor, entry + exits" "in-kernel histogram"
  hot_row "gotrace latency main.hot --prometheus, scraped every 100 ms" latency-prometheus "latency" "each scrape reads the kernel's maps on the tracer's poll thread"
  echo
  echo "Per scrape: the demo server after 300 requests, traced by \`gotrace latency 'net/http.*' --max-sites 8000 --prometheus\` ($fns functions with series), against a real Prometheus $("$prom" --version 2>&1 | head -1 | awk '{print $3}') serving its own /metrics; $scrapes scrapes of each, alternating, by curl; medians."
  echo
  echo "| endpoint | samples | ms/scrape | µs/sample | ratio per sample |"
  echo "|---|---:|---:|---:|---:|"
  echo "| Prometheus' own /metrics (Go client) | $psamples | $pms | $pus | — |"
  echo "| gotrace latency --prometheus (Java client) | $gsamples | $gms | $gus | $(printf '%.3f×' "$sratio") (pairs $srange) |"
} >"$results/export.md"

{
  hot_goal "latency --prometheus scraped every 100 ms, vs latency without it" latency-prometheus "latency" 1.05 \
    "${BENCH_WHY_PROM:-the map reads of each scrape compete for the CPU with the loop on this 2-core machine}"
  awk -v r="$sratio" -v sp="$srange" 'BEGIN{
    printf "a /metrics scrape, per sample, vs Prometheus serving its own\t≤ 2.00× Prometheus 3.5\t%.3f× (pairs %s)\t%s\n", r, sp,
      (r <= 2.0 ? "met" : sprintf("not met: %.3f×; the Java client writes each series from a fresh snapshot of the kernel maps", r)) }'
} >"$results/export.goals.tsv"
cat "$results/export.md"
cat "$results/export.goals.tsv"
