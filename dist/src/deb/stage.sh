#!/usr/bin/env bash
# Lays out the Debian package's files (mvn package, module dist; jdeb packs the tree):
#   stage.sh OUT JAR MAN_DIR JVM_OPTIONS VERSION TIMESTAMP MAINTAINER
# OUT becomes the package's root: the launcher, the jar, its JVM options and the AppCDS script (cds-archive), the man pages
# gzip'd -9n, the bash and zsh completion scripts printed by the jar itself, and the doc files.
# Everything is derived from its inputs and TIMESTAMP (project.build.outputTimestamp), so the
# same commit gives the same tree.
set -euo pipefail
out=$1 jar=$2 man=$3 options=$4 version=$5 timestamp=$6 maintainer=$7
here=$(cd "$(dirname "$0")" && pwd)
java=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java=$JAVA_HOME/bin/java
compgen_of() { "$java" -jar "$jar" completion "$1"; }

rm -rf "$out"
mkdir -p "$out"/usr/bin "$out"/usr/share/gotrace "$out"/usr/share/man/man1 \
  "$out"/usr/share/bash-completion/completions "$out"/usr/share/zsh/vendor-completions \
  "$out"/usr/share/doc/gotrace "$out"/usr/share/lintian/overrides
install -m 755 "$here/files/gotrace" "$out/usr/bin/gotrace"
install -m 644 "$jar" "$out/usr/share/gotrace/gotrace.jar"
install -m 644 "$options" "$out/usr/share/gotrace/jvm-options"
install -m 755 "$here/../../../cli/src/cds/cds-archive" "$out/usr/share/gotrace/cds-archive"
pages=("$man"/gotrace*.1)
[ -f "${pages[0]}" ] || { echo "stage.sh: no man pages in $man (built by module cli at package)" >&2; exit 1; }
for page in "${pages[@]}"; do
  gzip -9n <"$page" >"$out/usr/share/man/man1/$(basename "$page").gz"
done
# bash: found by bash-completion's on-demand loader under the command's name; no #! (not run)
compgen_of bash | sed '1{/^#!/d}' >"$out/usr/share/bash-completion/completions/gotrace"
# zsh: the same script runs through bashcompinit. compinit autoloads files of the fpath that start
# with #compdef, as the function _gotrace: its first call defines the bash functions, registers
# them for gotrace (which replaces _gotrace) and completes the words at hand with them.
# The script aliases compopt (a bash builtin) to bashcompinit's complete, but an alias defined in
# an autoloaded file does not reach the functions of that file, parsed before it ran: a function does.
{
  echo '#compdef gotrace'
  echo 'compopt() { complete "$@"; }'
  compgen_of zsh | sed '1{/^#!/d}'
  echo '_bash_complete -F _complete_gotrace -o default'
} >"$out/usr/share/zsh/vendor-completions/_gotrace"
install -m 644 "$here/files/copyright" "$out/usr/share/doc/gotrace/copyright"
date=$(date -u -R -d "$timestamp")
sed -e "s|@VERSION@|$version|g" -e "s|@MAINTAINER@|$maintainer|g" -e "s|@DATE@|$date|g" \
  "$here/files/changelog" | gzip -9n >"$out/usr/share/doc/gotrace/changelog.gz"
install -m 644 "$here/files/lintian-overrides" "$out/usr/share/lintian/overrides/gotrace"
chmod -R u=rwX,go=rX "$out"
chmod 755 "$out/usr/bin/gotrace" "$out/usr/share/gotrace/cds-archive"
