package dev.gotrace.cli;

import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.stack.FrameStart;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --stack[=N]}, shared by funcs, args and latency: each event's Go call stack, walked by
 * frame pointers in the kernel at the probe (for latency, at the entry) and symbolised from the
 * pclntab. Checked when the command starts, before any binary is read.
 */
final class StackOption {
  static final String HELP = "Each event's Go call stack (--stack, or --stack=N for N frames at most; default "
      + StackAsm.DEFAULT_DEPTH + ", at most " + StackAsm.MAX_DEPTH + "): walked by frame pointers in the kernel"
      + " (amd64), deduplicated in a kernel map, shown innermost first with file:line and inlined calls;"
      + " a walk that ends early says where (depth, a function without a frame pointer, morestack, the system stack).";

  @Option(names = "--stack", arity = "0..1", paramLabel = "N", fallbackValue = "" + StackAsm.DEFAULT_DEPTH,
      description = HELP, preprocessor = AttachedOnly.class)
  Integer depth;

  /**
   * N only as {@code --stack=N}: a bare {@code --stack} never takes the next word, so
   * {@code --stack main.leaf} traces main.leaf with the default depth.
   */
  static final class AttachedOnly implements IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
      if ("=".equals(info.get("separator"))) {
        return false; // --stack=N: picocli converts N
      }
      ((OptionSpec) arg).setValue(StackAsm.DEFAULT_DEPTH);
      return true;
    }
  }

  /** The depth asked for, checked: a bad N is a usage error. */
  OptionalInt checked() {
    if (depth == null) {
      return OptionalInt.empty();
    }
    if (depth < 1 || depth > StackAsm.MAX_DEPTH) {
      throw new UserException(ExitCode.USAGE, "--stack=" + depth + " is not a depth gotrace walks",
          "give N from 1 to " + StackAsm.MAX_DEPTH + ", or --stack alone for " + StackAsm.DEFAULT_DEPTH);
    }
    return OptionalInt.of(depth);
  }

  /**
   * The walk at {@code sites} (link-time probe addresses by site index), when asked for; a note on
   * {@code err} when some sites' starts could not be proven.
   */
  Optional<Unwinding> unwinding(GoBinary bin, List<Long> sites, PrintWriter err) throws GoBinaryException {
    OptionalInt d = checked();
    if (d.isEmpty()) {
      return Optional.empty();
    }
    Unwinding u = Unwinding.at(bin, d.getAsInt(), sites);
    u.starts().stream().filter(s -> s instanceof FrameStart.Unproven).map(s -> ((FrameStart.Unproven) s).reason())
        .findFirst().ifPresent(why -> err.println("gotrace: note: " + u.unproven() + " of " + sites.size()
            + " sites get a stack of their own frame only: " + why));
    return Optional.of(u);
  }
}
