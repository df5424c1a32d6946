#!/usr/bin/env bash
# JMH microbenchmarks of gotrace's in-JVM hot paths (no root needed): probe-site
# analysis, DWARF indexing, args record decoding. Builds bench/jmh (profile jmh)
# and runs it (about 2 minutes); extra arguments go to JMH (e.g. -f 3 for tighter errors).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pjmh -pl bench/jmh -am -DskipTests package
java -jar bench/jmh/target/benchmarks.jar "$@"
