#!/usr/bin/env bash
# Reliability soak: gotrace latency 'main.*' on the workload (-mode forever: rounds of every
# feature every 20 ms) for SOAK_SECONDS (default 600). Samples the tracer's RSS every 10 s,
# then ends the workload with SIGTERM and checks: gotrace exits 0 with its final table; nothing
# dropped or unmatched; the workload's output equals an untraced run of the same number of
# rounds; every function's count in gotrace's table equals the workload's own count.
# Writes bench/results/soak.md and bench/results/soak.goals.tsv (goal: RSS flat from the first
# minute, i.e. no sample after 60 s more than 5 MB above the one at 60 s).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
ensure_jar
wl=$(workload)
secs=${SOAK_SECONDS:-600}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$root/gotrace" latency 'main.*' --interval 60s -- "$wl" -mode forever -pause-ms 20 >"$tmp/out" 2>"$tmp/err" &
gt=$!
for _ in $(seq 600); do grep -q 'Ctrl-C to end' "$tmp/err" && break; sleep 0.1; done
grep -q 'Ctrl-C to end' "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
target=$(pgrep -P "$gt" | head -1)
echo "bench: soak: gotrace pid $gt, workload pid $target, $secs s" >&2
start=$(date +%s)
: >"$tmp/rss"
while [ $(( $(date +%s) - start )) -lt "$secs" ]; do
  sleep 10
  kill -0 "$gt" 2>/dev/null || { echo "bench: gotrace died" >&2; cat "$tmp/err" >&2; exit 1; }
  echo "$(( $(date +%s) - start )) $(awk '/VmRSS/{print $2}' "/proc/$gt/status")" >>"$tmp/rss"
done
kill -TERM "$target"
set +e
wait "$gt"
code=$?
set -e

calls() { grep -E '^calls ' "$1" | sort; }
grep -E '^calls ' "$tmp/out" | sort >"$tmp/traced"
"$wl" -mode all -n 1 | calls /dev/stdin >"$tmp/one"
per_round=$(awk '$2=="main.recurse"{print $3}' "$tmp/one")
total=$(awk '$2=="main.recurse"{print $3}' "$tmp/traced")
rounds=$((total / per_round))
"$wl" -mode all -n "$rounds" | calls /dev/stdin >"$tmp/untraced"
same=no; cmp -s "$tmp/traced" "$tmp/untraced" && same=yes

# The final table: the last "Latency after" block.
awk '/^Latency after/{buf=""} {buf = buf $0 "\n"} END{printf "%s", buf}' "$tmp/out" >"$tmp/final"
mismatch=0; compared=0
while read -r _ fn n; do
  got=$(awk -v f="$fn" '$1==f && $2=="count"{print $3}' "$tmp/final")
  [ -n "$got" ] || continue
  compared=$((compared + 1))
  [ "$got" = "$n" ] || { mismatch=$((mismatch + 1)); echo "bench: $fn: gotrace $got, workload $n" >&2; }
done <"$tmp/traced"
notin=$(grep -c 'not in the numbers' "$tmp/final" || true)
first=$(awk 'NR==6{print $2}' "$tmp/rss")   # at 60 s
max=$(awk '$1>=60 && $2>m{m=$2} END{print m}' "$tmp/rss")
min=$(awk '$1>=60 && (m=="" || $2<m){m=$2} END{print m}' "$tmp/rss")
last=$(tail -1 "$tmp/rss" | awk '{print $2}')
samples=$(awk '{printf "%s%d", (NR>1?", ":""), $2/1024}' "$tmp/rss")
{
  echo "\`gotrace latency 'main.*' --interval 60s -- workload -mode forever -pause-ms 20\` for $secs s, ended by SIGTERM to the workload (run $(date -u +%Y-%m-%d))."
  echo
  echo "| check | result |"
  echo "|---|---|"
  echo "| gotrace exit code | $code (the workload's own) |"
  echo "| tracer RSS, after 60 s / min / max / at the end (MB) | $((first / 1024)) / $((min / 1024)) / $((max / 1024)) / $((last / 1024)) |"
  echo "| workload rounds | $rounds ($total calls of main.recurse) |"
  echo "| workload output equal to an untraced run of $rounds rounds | $same |"
  echo "| functions whose count in gotrace's table equals the workload's | $((compared - mismatch)) of $compared |"
  echo "| functions with calls not in the numbers (unmatched, never exited, in flight) | $notin |"
  echo
  echo "RSS every 10 s (MB): $samples"
} >"$results/soak.md"
cat "$results/soak.md"
cp "$tmp/final" "$results/soak-final-table.txt"
growth=$(( (max - first) / 1024 ))
met=met; [ "$growth" -le 5 ] || met="not met: +$growth MB after the first minute"
printf 'soak RSS flat from the first minute (%s s; max - RSS at 60 s)\t<= 5 MB\t+%s MB (%s MB at 60 s, max %s MB)\t%s\n' \
  "$secs" "$growth" "$((first / 1024))" "$((max / 1024))" "$met" >"$results/soak.goals.tsv"
cat "$results/soak.goals.tsv"
