# Shared by the bench/*.sh scripts (sourced, not run): paths, the jar, the workload, timing helpers.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${GOTRACE_CACHE:-$HOME/.cache/gotrace}
results=$root/bench/results
mkdir -p "$results"
jar=$root/cli/target/gotrace.jar

need_root() {
  [ "$(id -u)" = 0 ] || { echo "bench: tracing needs root" >&2; exit 1; }
}

# The go1.24 default workload of the test matrix (testdata/build.sh).
workload() {
  local w
  if [ -n "${BENCH_WORKLOAD:-}" ]; then echo "$BENCH_WORKLOAD"; return; fi
  w=$(awk -F'\t' '$2=="go1.24" && $3=="amd64" && $4=="default" && $5=="workload" {print $6}' \
    "$cache/testdata/matrix.tsv" 2>/dev/null || true)
  [ -n "$w" ] && [ -x "$w" ] || { echo "bench: no workload binary; run: bash testdata/build.sh" >&2; exit 1; }
  echo "$w"
}

ensure_jar() {
  [ -f "$jar" ] || (cd "$root" && mvn -q -B -o -pl cli -am -DskipTests package)
}

# gotrace as users run it: the launcher, which execs the JVM (serial collector) in
# place, so the pid a script starts in the background is the tracer's own.
gotrace() {
  "$root/gotrace" "$@"
}

# The current bpftrace (Debian sid's, 0.27 with uprobe_multi), from a chroot that
# bench/bpftrace-sid.sh makes once in the cache; `bpftrace ARGS` runs it there.
ensure_bpftrace() {
  bash "$root/bench/bpftrace-sid.sh" --ensure
}

bpftrace() {
  "$root/bench/bpftrace-sid.sh" "$@"
}

bpftrace_version() {
  bpftrace --version | awk '{print $2}'
}

# The classpath of the probes test classes (the floor program), compiled offline.
floor_classpath() {
  (cd "$root" && mvn -q -B -o -pl probes -am test-compile >&2)
  local jna
  jna=$(find "$HOME/.m2/repository/net/java/dev/jna/jna" -name 'jna-5.*.jar' | sort | tail -1)
  echo "$root/probes/target/classes:$root/probes/target/test-classes:$jna"
}

# median of numbers on stdin
median() {
  sort -g | awk '{v[NR]=$1} END{if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

now_ns() {
  date +%s%N
}

machine() {
  local cpu go
  cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
  go=$("$root/gotrace" info "$(workload)" 2>/dev/null | awk '$1=="go"{print $2}')
  echo "$(nproc) cores ($cpu), $(free -g | awk '/Mem:/{print $2}') GiB RAM, Linux $(uname -r)," \
    "$(java -version 2>&1 | head -1 | sed 's/"//g'), workload built with $go, bpftrace $(bpftrace_version 2>/dev/null || echo absent)"
}

# big CMD: an unstripped build of the Go toolchain's cmd/CMD (go, compile, link), built once
# into the cache from the cached toolchain's sources (Debian ships them stripped).
big() {
  local series=${GOTRACE_BENCH_GO:-1.24} cmd=$1
  local goroot=$cache/toolchains/go$series/usr/lib/go-$series
  local dir=$cache/bench/go$series
  if [ ! -x "$dir/$cmd" ]; then
    [ -x "$goroot/bin/go" ] || { echo "bench: no Go $series toolchain in $cache; run: bash testdata/build.sh" >&2; exit 1; }
    mkdir -p "$dir"
    echo "bench: building unstripped cmd/$cmd with Go $series (once)" >&2
    (cd "$goroot/src" && GOROOT="$goroot" PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local GOPROXY=off \
      GOCACHE="$cache/gocache/go$series" CGO_ENABLED=0 "$goroot/bin/go" build -o "$dir/$cmd" "cmd/$cmd") >&2
  fi
  echo "$dir/$cmd"
}

# stamp: prefixes each line of stdin with the time it was read (ns since the epoch)
stamp() {
  while IFS= read -r line; do echo "$(now_ns) $line"; done
}

# bench_prometheus: the path of Debian sid's stripped prometheus binary (about 130,000
# functions, built the distribution's way), fetched once into $cache/bench/prometheus with
# the private apt configuration of testdata/build.sh (its lists under $cache/apt, reused
# when present). Prints the binary's path.
bench_prometheus() {
  local dir=$cache/bench/prometheus apt_dir=$cache/apt
  local bin=$dir/root/usr/bin/prometheus
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$keyring" ] || { echo "bench: $keyring is missing (install debian-archive-keyring)" >&2; return 1; }
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=root" -o "APT::Architecture=amd64")
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/debs"
  if ! grep -qs ' sid main' "$apt_dir/sources.list"; then
    echo "deb [signed-by=$keyring] http://deb.debian.org/debian sid main" >>"$apt_dir/sources.list"
  fi
  if ! ls "$apt_dir"/lists/*_sid_main_binary-amd64_Packages* >/dev/null 2>&1; then
    echo "bench: updating the private package lists" >&2
    apt-get "${opts[@]}" -qq update >"$apt_dir/update.log" 2>&1 \
      || { echo "bench: apt-get update failed (see $apt_dir/update.log)" >&2; return 1; }
  fi
  echo "bench: fetching prometheus from Debian sid (once)" >&2
  rm -f "$dir"/debs/*.deb
  (cd "$dir/debs" && apt-get "${opts[@]}" -qq download prometheus/sid) >"$dir/download.log" 2>&1 \
    || { echo "bench: apt-get download prometheus/sid failed (see $dir/download.log)" >&2; return 1; }
  rm -rf "$dir/root.tmp"
  dpkg -x "$dir"/debs/prometheus_*.deb "$dir/root.tmp"
  [ -x "$dir/root.tmp/usr/bin/prometheus" ] || { echo "bench: the prometheus package has no usr/bin/prometheus" >&2; return 1; }
  rm -rf "$dir/root"; mv "$dir/root.tmp" "$dir/root"; rm -f "$dir"/debs/*.deb
  echo "$bin"
}

# bench_gosym: the path of bench/gosym (Go's debug/gosym reading a binary's function table),
# built into $cache/bench/gosym with the cached Go toolchain (GOTRACE_BENCH_GOSYM_GO, default
# 1.27: it must know the newest pclntab), rebuilt when its source changes.
bench_gosym() {
  local series=${GOTRACE_BENCH_GOSYM_GO:-1.27}
  local goroot=$cache/toolchains/go$series/usr/lib/go-$series
  local dir=$cache/bench/gosym src=$root/bench/gosym/main.go
  local stamp
  stamp="go$series $(sha256sum "$src" | cut -c1-16)"
  if [ ! -x "$dir/gosym" ] || [ "$(cat "$dir/gosym.stamp" 2>/dev/null)" != "$stamp" ]; then
    [ -x "$goroot/bin/go" ] || { echo "bench: no Go $series toolchain in $cache; run: bash testdata/build.sh" >&2; return 1; }
    mkdir -p "$dir"
    echo "bench: building bench/gosym with Go $series" >&2
    (cd "$root/bench/gosym" && GOROOT="$goroot" PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local GOPROXY=off \
      GO111MODULE=off GOCACHE="$cache/gocache/go$series" CGO_ENABLED=0 \
      "$goroot/bin/go" build -o "$dir/gosym" main.go) >&2
    echo "$stamp" >"$dir/gosym.stamp"
  fi
  echo "$dir/gosym"
}

# ---- Round-based per-call measurement on the workload's main.hot loop (bench/where.sh).
# The caller sets $wl (the workload), $tmp (a scratch directory) and $calls (calls per loop).

# hot_sites: sets hot_probe (main.hot's probe entry, a file offset) and hot_exits (an array of
# its exit sites' file offsets), from `gotrace list --json`.
hot_sites() {
  local sites entry foff probe a
  sites=$(gotrace list "$wl" main.hot --json)
  entry=$(grep -o '"entry":[0-9]*' <<<"$sites" | head -1 | cut -d: -f2)
  foff=$(grep -o '"fileOffset":[0-9]*' <<<"$sites" | head -1 | cut -d: -f2)
  probe=$(grep -o '"probeEntry":[0-9]*' <<<"$sites" | head -1 | cut -d: -f2)
  [ -n "$entry" ] && [ -n "$foff" ] && [ -n "$probe" ] || { echo "bench: no sites of main.hot in $wl" >&2; exit 1; }
  hot_probe=$((probe - entry + foff))
  hot_exits=()
  for a in $(grep -o '"addr":[0-9]*' <<<"$sites" | cut -d: -f2); do hot_exits+=($((a - entry + foff))); done
}

# hot_loop N: the workload's loop of N calls; prints its "ns/call X" and "cpu-ns/call Y" (the
# process's user + system time per call, which preemption by other load does not inflate).
hot_loop() {
  ( "$wl" -mode loop -n "$1"; times ) >"$tmp/loop" || { cat "$tmp/loop" >&2; exit 1; }
  grep 'ns/call' "$tmp/loop"
  tail -n 1 "$tmp/loop" | tr 'ms' '  ' | awk -v n="$1" '{printf "cpu-ns/call %.1f\n", (($1 * 60 + $2) + ($3 * 60 + $4)) * 1e9 / n}'
}

# hot_once NAME COMMAND...: runs COMMAND (which runs hot_loop) once; prints "WALL CPU" ns/call and
# keeps its output as $tmp/NAME.out and .err; a failing command or one without ns/call ends the script.
hot_once() {
  local name=$1 v c; shift
  # a subshell: a command that fails exits it, and its error is shown here
  ( "$@" ) >"$tmp/out" 2>"$tmp/err" || { echo "bench: $name failed:" >&2; tail -n 8 "$tmp/err" >&2; exit 1; }
  v=$(grep -o '^ns/call [0-9.]*' "$tmp/out" | awk '{print $2}' | tail -1)
  c=$(grep -o '^cpu-ns/call [0-9.]*' "$tmp/out" | awk '{print $2}' | tail -1)
  [ -n "$v" ] && [ -n "$c" ] || { echo "bench: $name printed no ns/call" >&2; tail -n 5 "$tmp/out" "$tmp/err" >&2; exit 1; }
  cp "$tmp/out" "$tmp/$name.out"; cp "$tmp/err" "$tmp/$name.err"
  echo "$v $c"
}

# hot_floor CLASSPATH OFFSET...: the loop with bench FloorProbe's return-only program on those offsets.
hot_floor() {
  local cp=$1 pid; shift
  rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
  java -cp "$cp" dev.gotrace.probes.bench.FloorProbe "$wl" "$@" <"$tmp/fifo" >"$tmp/floor.log" 2>&1 &
  pid=$!
  exec 3>"$tmp/fifo"
  for _ in $(seq 300); do grep -q attached "$tmp/floor.log" && break; sleep 0.1; done
  grep -q attached "$tmp/floor.log" || { cat "$tmp/floor.log" >&2; exec 3>&-; exit 1; }
  hot_loop "$calls"
  exec 3>&-
  wait "$pid"
}

# hot_leaves SIGNAL PID: signals the processes under PID without children (PID itself if none):
# the tool, not a subshell around it.
hot_leaves() {
  local kids k; kids=$(pgrep -P "$2" || true)
  if [ -z "$kids" ]; then kill -"$1" "$2" 2>/dev/null || true; return; fi
  for k in $kids; do hot_leaves "$1" "$k"; done
}

# hot_traced READY SIGNAL TOOL...: TOOL traces the workload binary in the background; once READY
# is in its output the loop runs, then TOOL is stopped with SIGNAL and its last output lines (its
# summary) follow the loop's. A tool that exits before attaching ends the script with its error
# (a configuration the tool refuses fails loudly, never measures the untraced loop). A background
# job of a script starts with SIGINT ignored, which the JVM keeps: gotrace is stopped with
# SIGTERM, bpftrace with SIGINT.
hot_traced() {
  local ready=$1 sig=$2 pid i rc=0; shift 2
  rm -f "$tmp/tool.out" "$tmp/tool.err"
  "$@" >"$tmp/tool.out" 2>"$tmp/tool.err" &
  pid=$!
  for _ in $(seq 600); do
    grep -qs "$ready" "$tmp/tool.out" "$tmp/tool.err" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -qs "$ready" "$tmp/tool.out" "$tmp/tool.err"; then
    echo "bench: $* never attached:" >&2
    tail -n 5 "$tmp/tool.err" "$tmp/tool.out" >&2
    hot_leaves KILL "$pid"
    exit 1
  fi
  hot_loop "$calls"
  sleep 0.5
  for i in $(seq 120); do
    if [ $((i % 20)) = 1 ]; then hot_leaves "$sig" "$pid"; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  wait "$pid" || rc=$?
  # 143 and 130: ended by the signal sent above
  if [ "$rc" != 0 ] && [ "$rc" != 143 ] && [ "$rc" != 130 ]; then
    echo "bench: $* exited $rc:" >&2; tail -n 5 "$tmp/tool.err" >&2; exit 1
  fi
  tail -n 40 "$tmp/tool.out"; cat "$tmp/tool.err" >&2
}

# hot_gotrace ARGS...: `gotrace ARGS` under hot_traced.
hot_gotrace() {
  hot_traced 'Ctrl-C to end' TERM gotrace "$@"
}

# hot_bpftrace PROGRAM: bpftrace (--unsafe, for probes at file offsets) under hot_traced.
hot_bpftrace() {
  hot_traced 'Attach' INT bpftrace --unsafe -e "$1"
}

# ---- Rounds of configurations (bench/where.sh, bench/stacks.sh).
# The caller sets $runs, $tmp, the array configs ("name|peer|command", a peer earlier in the
# array), and a function check NAME that stops the script when a configuration's output
# ($tmp/NAME.out, .err) does not show the feature working. BENCH_CONFIGS picks some
# configurations (their peers, every configuration named floor-*, and untraced run too).

# hot_rounds: runs every selected configuration once per round, $runs rounds; keeps per
# configuration its wall and CPU ns/call per round and its ratios to the peer's of the same round.
hot_rounds() {
  local c name against cmd round v cv f cf
  declare -gA want vals cvals peer
  for c in "${configs[@]}"; do
    IFS='|' read -r name against _ <<<"$c"
    if [ -z "${BENCH_CONFIGS:-}" ] || [[ " $BENCH_CONFIGS " == *" $name "* ]] || [[ $name == floor-* ]] || [ "$name" = untraced ]; then
      want[$name]=1
      [ -z "$against" ] || want[$against]=1
    fi
  done
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
  for c in "${configs[@]}"; do
    IFS='|' read -r name _ _ <<<"$c"
    selected "$name" || continue
    echo "bench: $name: wall ${vals[$name]}ns/call, cpu ${cvals[$name]}ns/call${peer[$name]:+; wall ratios $(tr '\n' ' ' <"$tmp/$name.ratios")cpu ratios $(tr '\n' ' ' <"$tmp/$name.cratios")}" >&2
  done
}
selected() { [ -n "${want[$1]:-}" ]; }
med() { tr ' ' '\n' <<<"${vals[$1]:-}" | grep . | median; }
cmed() { tr ' ' '\n' <<<"${cvals[$1]:-}" | grep . | median; }
ratio() { if [ -f "$tmp/$1.ratios" ]; then median <"$tmp/$1.ratios"; fi; }
spread() { sort -g "$tmp/$1.ratios" | awk 'NR==1{lo=$1} {hi=$1} END{printf "%.2f–%.2f", lo, hi}'; }
cratio() { if [ -f "$tmp/$1.cratios" ]; then median <"$tmp/$1.cratios"; fi; }

# hot_row TEXT CONFIG PEER-TEXT NOTE: the configuration's row of the results table
# (| configuration | ns/call | target CPU ns/call | peer | ratio | round ratios | CPU ratio | notes |).
hot_row() {
  selected "$2" || return 0
  local r="" cr="" sp="—"
  if [ -n "${peer[$2]}" ]; then r=$(ratio "$2"); cr=$(cratio "$2"); sp=$(spread "$2"); fi
  awk -v n="$1" -v v="$(med "$2")" -v c="$(cmed "$2")" -v p="$3" -v r="$r" -v sp="$sp" -v cr="$cr" -v note="$4" 'BEGIN{
    printf "| %s | %.1f | %.1f | %s | %s | %s | %s | %s |\n", n, v, c, (p == "" ? "—" : p),
      (r == "" ? "—" : sprintf("%.3f×", r)), sp, (cr == "" ? "—" : sprintf("%.3f×", cr)), note }'
}

# hot_goal TEXT CONFIG PEER-TEXT LIMIT REASON: a goals line (goal, target, measured, verdict):
# met when the median wall ratio to the peer is at most LIMIT.
hot_goal() {
  selected "$2" || return 0
  awk -v t="$1" -v r="$(ratio "$2")" -v cr="$(cratio "$2")" -v sp="$(spread "$2")" -v p="$3" -v l="$4" -v why="$5" 'BEGIN{
    printf "%s\t≤ %.2f× %s\t%.3f× wall (rounds %s), %.3f× target CPU (median of rounds)\t%s\n", t, l, p, r, sp, cr,
      (r <= l ? "met" : sprintf("not met: %.3f× wall, %.3f× target CPU; %s", r, cr, why)) }'
}
