#!/usr/bin/env bash
# Makes the AppCDS archive of gotrace.jar at package time (mvn package, cli module):
#   archive.sh JAR ARCHIVE GO_BINARY
# Runs commands that need no root on GO_BINARY (the checked-in demo server) with
# -XX:DumpLoadedClassList, joins the class lists and dumps one static archive of those classes
# (the JDK's and gotrace's, parsed and verified once here instead of at every start). The
# ./gotrace launcher uses it when it is newer than the jar. Written to a temporary file and
# renamed: a truncated archive would crash the JVM that maps it.
set -euo pipefail
jar=$1 archive=$2 bin=$3
java=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java=$JAVA_HOME/bin/java
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the launchers' JVM options: an archive is used only with the GC it was dumped with
opts=(@"$(dirname "$0")/../launcher/jvm-options" -Xshare:off)
n=0
train() {
  n=$((n + 1))
  "$java" "${opts[@]}" -XX:DumpLoadedClassList="$tmp/$n.lst" -jar "$jar" "$@" >/dev/null 2>&1 || true
}
train --version
train funcs --help
train latency --help
train info "$bin"
train list "$bin" 'main.*' --sites
train list "$bin" 'main.*' --json
train list "$bin" main.nosuchfunction
# every class once, in the order first loaded
awk '!seen[$0]++' "$tmp"/*.lst >"$tmp/classes.lst"
rm -f "$archive.tmp"
if ! "$java" "${opts[0]}" -Xshare:dump -XX:SharedClassListFile="$tmp/classes.lst" \
    -XX:SharedArchiveFile="$archive.tmp" -cp "$jar" >"$tmp/dump.log" 2>&1; then
  echo "gotrace: the AppCDS archive could not be made (gotrace runs without it):" >&2
  tail -5 "$tmp/dump.log" >&2
  rm -f "$archive.tmp"
  exit 0
fi
mv -f "$archive.tmp" "$archive"
