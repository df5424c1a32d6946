package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gotrace completion bash|zsh}: the shell completion script, generated from the picocli
 * model of every command and option, plus completion of function names; {@code gotrace completion
 * functions BINARY}: the names it completes.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    customSynopsis = {"gotrace completion bash|zsh", "gotrace completion functions BINARY"},
    description = {
      "Print a bash or zsh completion script.",
      "zsh loads the same script through bashcompinit. Install it with one of:",
      "  gotrace completion bash > /etc/bash_completion.d/gotrace",
      "  gotrace completion zsh > \"$${fpath[1]}/_gotrace\"",
      "  source <(gotrace completion bash)     (or zsh, for this shell only)",
      "It completes subcommands, options and, after a BINARY, the binary's function names (read once by"
          + " 'gotrace completion functions BINARY' and cached under ~/.cache/gotrace/completion).",
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "bash|zsh|functions", description = "What to print.")
  String what;

  @Parameters(index = "1", arity = "0..1", paramLabel = "BINARY", description = "For functions: the Go executable.")
  Path binary;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    switch (what) {
      case "bash", "zsh" -> {
        CommandLine root = spec.root().commandLine();
        out.print(AutoComplete.bash("gotrace", root));
        out.print(FUNCTION_NAMES);
      }
      case "functions" -> {
        if (binary == null) {
          throw new UserException(ExitCode.USAGE, "no BINARY given", "write: gotrace completion functions BINARY");
        }
        try (GoBinary bin = Binaries.open(binary)) {
          TreeSet<String> names = new TreeSet<>();
          for (GoFunc f : bin.functions()) {
            names.add(f.name());
          }
          names.forEach(out::println);
        }
      }
      default -> throw new UserException(ExitCode.USAGE, "unknown shell '" + what + "'",
          "write: gotrace completion bash, gotrace completion zsh or gotrace completion functions BINARY");
    }
    out.flush();
    return 0;
  }

  /**
   * Appended to picocli's script: for the commands that take function patterns, a word that is not
   * an option completes as a file until a BINARY is on the line, then as one of its function
   * names, read by the JVM once per binary (its device, inode, size and time) and cached.
   */
  static final String FUNCTION_NAMES = """

      # gotrace: after a BINARY, complete its Go function names (cached per binary).
      function _gotrace_function_names() {
        local bin=$1 dir="${XDG_CACHE_HOME:-$HOME/.cache}/gotrace/completion" key
        key=$(stat -L -c '%d-%i-%s-%Y' -- "$bin" 2>/dev/null) || return 1
        if [[ ! -s "$dir/$key" ]]; then
          mkdir -p "$dir" 2>/dev/null || return 1
          gotrace completion functions "$bin" > "$dir/$key.$$" 2>/dev/null && mv -f "$dir/$key.$$" "$dir/$key" \\
            || { rm -f "$dir/$key.$$"; return 1; }
        fi
        cat -- "$dir/$key"
      }

      function _gotrace_positional() {
        local orig=$1 curr_word=${COMP_WORDS[COMP_CWORD]} prev_word=${COMP_WORDS[COMP_CWORD-1]} i w bin=""
        case "$prev_word" in
          -p|--pid|--duration|--count|--max-sites|--jfr|--interval|--min|--max-inflight|--strsize|--top) "$orig"; return;;
        esac
        if [[ "$curr_word" == -* ]]; then "$orig"; return; fi
        for (( i = 2; i < COMP_CWORD; i++ )); do
          w=${COMP_WORDS[i]}
          [[ "$w" == "--" ]] && { COMPREPLY=(); return; }
          case "${COMP_WORDS[i-1]}" in
            -p|--pid|--duration|--count|--max-sites|--jfr|--interval|--min|--max-inflight|--strsize|--top) continue;;
          esac
          [[ "$w" == -* ]] && continue
          if [[ -z "$bin" && -f "$w" ]]; then bin=$w; fi
        done
        local IFS=$'\\n'
        if [[ -z "$bin" ]]; then
          type compopt &>/dev/null && compopt -o filenames 2>/dev/null
          COMPREPLY=( $(compgen -f -- "$curr_word") )
          return
        fi
        COMPREPLY=( $(_gotrace_function_names "$bin" | awk -v p="$curr_word" 'index($0, p) == 1') )
      }

      for _gotrace_cmd in funcs args latency top; do
        eval "$(declare -f _picocli_gotrace_$_gotrace_cmd | sed "1s/_picocli_gotrace_$_gotrace_cmd/_gotrace_picocli_$_gotrace_cmd/")"
        eval "function _picocli_gotrace_$_gotrace_cmd() { _gotrace_positional _gotrace_picocli_$_gotrace_cmd; }"
      done
      unset _gotrace_cmd
      """;
}
