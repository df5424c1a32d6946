#!/usr/bin/env bash
# Step 12, the Debian package (issue 21): what depending on Debian's Java costs against bundling a
# jlink runtime, and whether an AppCDS archive would pay for itself.
#   - sizes: the .deb and its Installed-Size; the Java apt installs with it on a clean bookworm
#     (download and installed size of each package apt -s plans, in the cached debootstrap base of
#     the Deb*IT tests); a jlink runtime of the modules jdeps finds in the jar (--strip-debug
#     --no-man-pages --no-header-files --compress=2 --generate-cds-archive), on disk and gzip'd
#     as a .deb's data.tar.gz would carry it
#   - start-up, wall and CPU (user+sys), median of BENCH_PACKAGE_RUNS (default 15) interleaved
#     rounds, of `gotrace --version` and `gotrace list server 'main.*'` (the demo) with the
#     package's JVM options on: Debian's JRE (what the package runs), the same with an AppCDS
#     archive of gotrace's classes
#     as the package's postinst makes it (cli/src/cds/cds-archive), the
#     jlink runtime (with its CDS archive of the JDK's classes), and the jlink runtime + AppCDS.
# Writes bench/results/package.md and bench/results/package.goals.tsv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
version=$(sed -n "0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p" "$root/pom.xml") # the reactor's, as every module has it
deb=$root/dist/target/gotrace_${version}_all.deb
(cd "$root" && mvn -q -B -o -pl dist -am -DskipTests package) # the package of this checkout
rjar=$root/dist/target/gotrace-$version.jar
options=$root/cli/src/launcher/jvm-options
server=$root/testdata/bin/server
runs=${BENCH_PACKAGE_RUNS:-15}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mb() { awk -v b="$1" 'BEGIN{printf "%.1f", b / 1048576}'; }

# --- sizes
deb_bytes=$(stat -c %s "$deb")
deb_installed=$(( $(dpkg-deb -f "$deb" Installed-Size) * 1024 ))
base=$(bash "$root/dist/src/test/sh/debian-base.sh" bookworm)
mkdir "$tmp/base"
tar -C "$tmp/base" -xf "$base"
cp "$deb" "$tmp/base/tmp/gotrace.deb"
# apt's plan for `apt install ./gotrace.deb` on the clean system, and the sizes of what it adds
chroot "$tmp/base" apt-get -q -s -o Debug::NoLocking=1 install --no-install-recommends /tmp/gotrace.deb >"$tmp/plan" 2>&1
mapfile -t java_pkgs < <(awk '$1=="Inst" && $2!="gotrace" {print $2}' "$tmp/plan")
read -r jre_download jre_installed < <(chroot "$tmp/base" apt-cache show --no-all-versions "${java_pkgs[@]}" |
  awk '/^Size:/{d+=$2} /^Installed-Size:/{i+=$2*1024} END{print d, i}')
rm -rf "$tmp/base"

jrt=$cache/bench/jlink-$version
if [ ! -x "$jrt/bin/java" ]; then
  echo "bench: making a jlink runtime for gotrace $version (once)" >&2
  mkdir -p "$tmp/classes"
  (cd "$tmp/classes" && unzip -q "$rjar" && find . -name module-info.class -delete && rm -rf META-INF/versions)
  modules=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$tmp/classes")
  rm -rf "$jrt.tmp"
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --generate-cds-archive --output "$jrt.tmp" >/dev/null
  mv "$jrt.tmp" "$jrt"
fi
jrt_modules=$("$jrt/bin/java" --list-modules | sed 's/@.*//' | paste -sd, -)
jrt_installed=$(( $(du -sk "$jrt" | cut -f1) * 1024 ))
jrt_gz=$(tar -C "$jrt" -cf - . | gzip -9 | wc -c)

# --- start-up
# the archive the package's postinst makes (cli/src/cds/cds-archive), for each runtime
sh "$root/cli/src/cds/cds-archive" "$rjar" "$options" "$tmp/debian"
PATH=$jrt/bin:$PATH JAVA_HOME= sh "$root/cli/src/cds/cds-archive" "$rjar" "$options" "$tmp/jlink"
debian_java=$(readlink -f "$(command -v java)")
variant() {
  case $1 in
    debian) echo "$debian_java" ;;
    debian-cds) echo "$debian_java -XX:SharedArchiveFile=$tmp/debian/gotrace.jsa" ;;
    jlink) echo "$jrt/bin/java" ;;
    jlink-cds) echo "$jrt/bin/java -XX:SharedArchiveFile=$tmp/jlink/gotrace.jsa" ;;
  esac
}
variants=(debian debian-cds jlink jlink-cds)
for _ in $(seq "$runs"); do
  for v in "${variants[@]}"; do
    read -r -a java <<<"$(variant "$v")"
    for cmd in version list; do
      args=(--version); [ "$cmd" = list ] && args=(list "$server" 'main.*')
      /usr/bin/time -f '%e %U %S' -o "$tmp/t" "${java[0]}" @"$options" "${java[@]:1}" -jar "$rjar" "${args[@]}" >/dev/null 2>&1
      awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$tmp/t" >>"$tmp/$v.$cmd"
    done
  done
done
wall() { cut -d' ' -f1 "$tmp/$1.$2" | median; }
cpu() { cut -d' ' -f2 "$tmp/$1.$2" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }

label() {
  case $1 in
    debian) echo "Debian's JRE ($("$debian_java" -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p')), as packaged" ;;
    debian-cds) echo "Debian's JRE + AppCDS archive" ;;
    jlink) echo "jlink runtime ($jrt_modules)" ;;
    jlink-cds) echo "jlink runtime + AppCDS archive" ;;
  esac
}
dv=$(wall debian version) dl=$(wall debian list)
{
  echo "| | \`--version\` wall | CPU | \`list server 'main.*'\` wall | CPU | vs as packaged (list) |"
  echo "|---|---|---|---|---|---|"
  for v in "${variants[@]}"; do
    echo "| $(label "$v") | $(wall "$v" version) ms | $(cpu "$v" version) ms | $(wall "$v" list) ms | $(cpu "$v" list) ms | $(ratio "$(wall "$v" list)" "$dl")× |"
  done
  echo
  echo "Start-up: median of $runs interleaved rounds. Sizes:"
  echo
  echo "| | download | installed |"
  echo "|---|---|---|"
  echo "| gotrace_${version}_all.deb | $(mb "$deb_bytes") MB | $(mb "$deb_installed") MB |"
  echo "| the Java apt adds on a clean bookworm (${#java_pkgs[@]} packages: ${java_pkgs[*]}) | $(mb "$jre_download") MB | $(mb "$jre_installed") MB |"
  echo "| a jlink runtime in the package instead | $(mb "$jrt_gz") MB more (gzip -9) | $(mb "$jrt_installed") MB more |"
} >"$results/package.md"

# The issue's rule: Debian's Java unless a bundled jlink runtime starts faster and the package
# stays small. Faster: at most 0.8× the packaged start-up of both commands; small: at most 2× the
# download of the package.
jl=$(wall jlink list) jv=$(wall jlink version) cl=$(wall debian-cds list)
faster=$(awk -v a="$jl" -v b="$dl" -v c="$jv" -v d="$dv" 'BEGIN{print (a <= 0.8 * b && c <= 0.8 * d) ? "yes" : "no"}')
small=$(awk -v j="$jrt_gz" -v d="$deb_bytes" 'BEGIN{print (j + d <= 2 * d) ? "yes" : "no"}')
verdict=met
[ "$faster" = yes ] && [ "$small" = yes ] && verdict="not met: a jlink runtime measured faster and small"
cv=$(wall debian-cds version)
cds_verdict="not met: the archive saved under 10% of one start-up"
awk -v a="$cl" -v b="$dl" -v c="$cv" -v d="$dv" 'BEGIN{exit !(a <= 0.9 * b && c <= 0.9 * d)}' && cds_verdict=met
{
  printf 'Package depends on Debian'"'"'s JRE unless a jlink runtime starts ≤ 0.8× and the .deb stays ≤ 2× (issue 21)\tDebian JRE\tjlink list %s×, --version %s×; .deb %s MB → %s MB with it\t%s\n' \
    "$(ratio "$jl" "$dl")" "$(ratio "$jv" "$dv")" "$(mb "$deb_bytes")" "$(mb $((deb_bytes + jrt_gz)))" "$verdict"
  printf 'The AppCDS archive the package'"'"'s postinst makes saves ≥ 10%% of the start-up of --version and of list (issue 21)\t≤ 0.90× each\t--version %s×, list %s×\t%s\n' \
    "$(ratio "$cv" "$dv")" "$(ratio "$cl" "$dl")" "$cds_verdict"
} >"$results/package.goals.tsv"
cat "$results/package.md"
