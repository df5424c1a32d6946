package dev.gotrace.goelf.sites;

import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The test oracle: GNU objdump's disassembly (AT&T syntax, no raw bytes), parsed into functions
 * and instructions. objdump restarts decoding at every symbol, so each symbol's listing is its
 * own linear decode.
 */
final class Objdump {
  /** One disassembled instruction; {@code mnemonic} has x86 prefixes (rep, lock, ...) removed. */
  record Line(long address, String mnemonic, String operands) {
    private static final Pattern TARGET = Pattern.compile("(?:^|[ ,])(?:0x)?([0-9a-f]+)(?: <([^>]*)>)?$");

    /**
     * The direct target printed as {@code 4a2876 <sym+0x96>}, or as {@code 0x4a2876} where no
     * symbol precedes it (a binary without symbols), or -1. (Only read for branches: an arm64
     * register such as {@code d1} also looks like hex.)
     */
    long target() {
      Matcher m = TARGET.matcher(operands);
      return m.find() ? Long.parseUnsignedLong(m.group(1), 16) : -1;
    }

    /** The symbol of the direct target, or "". */
    String targetSymbol() {
      Matcher m = TARGET.matcher(operands);
      return m.find() && m.group(2) != null ? m.group(2) : "";
    }
  }

  /** One symbol's listing; {@code end} is the next symbol's address, or -1 at a section end. */
  record Function(String name, long start, long end, List<Line> lines) {}

  /** A function as a function table has it: name and {@code [start, end)}. */
  record Span(String name, long start, long end) {}

  private static final Pattern HEADER = Pattern.compile("^([0-9a-f]+) <(.*)>:$");
  private static final Pattern INSN = Pattern.compile("^ *([0-9a-f]+):\t(.*)$");
  private static final Set<String> X86_PREFIXES = Set.of("rep", "repz", "repnz", "repe", "repne",
      "lock", "notrack", "bnd", "data16", "addr32", "addr16", "cs", "ds", "ss", "es", "fs", "gs");

  private Objdump() {}

  /** The objdump able to disassemble {@code goArch}; skips (off CI) or fails (CI) when none. */
  static String tool(String goArch) {
    if (!goArch.equals("arm64")) {
      return "/usr/bin/objdump";
    }
    for (String candidate : List.of("/usr/bin/aarch64-linux-gnu-objdump", "/usr/bin/objdump")) {
      if (Files.isExecutable(Path.of(candidate)) && supportsAarch64(candidate)) {
        return candidate;
      }
    }
    String why = "no GNU objdump for aarch64; install binutils-aarch64-linux-gnu";
    if (TestBinaries.inCi()) {
      Assertions.fail(why);
    }
    Assumptions.abort("skipped: " + why);
    return null;
  }

  private static boolean supportsAarch64(String objdump) {
    try {
      Process p = new ProcessBuilder(objdump, "-i").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out.contains("aarch64");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Disassembles {@code binary} into a file under {@code cacheDir} (once) and returns it. */
  static Path dump(Path binary, String goArch, Path cacheDir) throws IOException, InterruptedException {
    Path out = cacheDir.resolve(Integer.toHexString(binary.toAbsolutePath().toString().hashCode())
        + "-" + binary.getFileName() + ".objdump");
    if (Files.isRegularFile(out)) {
      return out;
    }
    List<String> cmd = new ArrayList<>(List.of(tool(goArch), "-d", "-z", "--no-show-raw-insn",
        "-j", ".text", binary.toString()));
    Path tmp = Files.createTempFile(cacheDir, "objdump", ".tmp");
    Process p = new ProcessBuilder(cmd).redirectOutput(tmp.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("objdump failed on " + binary);
    }
    Files.move(tmp, out);
    return out;
  }

  /** Streams the functions of a dump, in address order. */
  static void forEachFunction(Path dump, boolean x86, Consumer<Function> sink) {
    try (BufferedReader r = Files.newBufferedReader(dump)) {
      String name = null;
      long start = 0;
      List<Line> lines = new ArrayList<>();
      String s;
      while ((s = r.readLine()) != null) {
        Matcher h = HEADER.matcher(s);
        if (h.matches()) {
          long next = Long.parseUnsignedLong(h.group(1), 16);
          if (name != null) {
            sink.accept(new Function(name, start, next, lines));
          }
          name = h.group(2);
          start = next;
          lines = new ArrayList<>();
          continue;
        }
        Matcher m = INSN.matcher(s);
        if (m.matches() && name != null) {
          lines.add(parse(Long.parseUnsignedLong(m.group(1), 16), m.group(2), x86));
        }
      }
      if (name != null) {
        sink.accept(new Function(name, start, -1, lines));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Streams a dump of a binary without symbols, cut into {@code spans} (sorted by start, not
   * overlapping; from the function table under test, which MatrixTest proves equal to the
   * unstripped twin's symbol table). Without symbols objdump decodes {@code .text} as one
   * stream, restarting only at the few dynamic symbols; Go pads between functions with one-byte
   * INT3s (arm64: 4-byte words), so the stream is at an instruction start at each function's
   * entry unless a decode went wrong, which the comparison then reports. A direct target's
   * {@code <symbol+off>} is renamed after the span it lands in, as objdump with symbols would
   * print it. Lines outside every span (C code of a cgo build) are dropped.
   */
  static void forEachSpan(Path dump, boolean x86, List<Span> spans, Consumer<Function> sink) {
    TreeMap<Long, Span> byStart = new TreeMap<>();
    spans.forEach(sp -> byStart.put(sp.start(), sp));
    try (BufferedReader r = Files.newBufferedReader(dump)) {
      int next = 0;
      Span current = null;
      List<Line> lines = new ArrayList<>();
      String s;
      while ((s = r.readLine()) != null) {
        Matcher m = INSN.matcher(s);
        if (!m.matches()) {
          continue;
        }
        long addr = Long.parseUnsignedLong(m.group(1), 16);
        if (current != null && addr >= current.end()) {
          sink.accept(new Function(current.name(), current.start(), current.end(), lines));
          current = null;
        }
        while (current == null && next < spans.size() && spans.get(next).end() <= addr) {
          // a span objdump printed no line in (an entry inside another instruction, or no code)
          Span skipped = spans.get(next++);
          sink.accept(new Function(skipped.name(), skipped.start(), skipped.end(), List.of()));
        }
        if (current == null && next < spans.size() && spans.get(next).start() <= addr) {
          current = spans.get(next++);
          lines = new ArrayList<>();
        }
        if (current != null) {
          lines.add(rename(parse(addr, m.group(2), x86), byStart));
        }
      }
      if (current != null) {
        sink.accept(new Function(current.name(), current.start(), current.end(), lines));
      }
      for (; next < spans.size(); next++) {
        Span skipped = spans.get(next);
        sink.accept(new Function(skipped.name(), skipped.start(), skipped.end(), List.of()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern SYMBOLIC = Pattern.compile("<[^>]*>$");

  private static Line rename(Line l, TreeMap<Long, Span> byStart) {
    long t = l.target();
    if (t < 0) {
      return l;
    }
    var e = byStart.floorEntry(t);
    String name = e != null && t < e.getValue().end()
        ? e.getValue().name() + (t == e.getKey() ? "" : "+0x" + Long.toHexString(t - e.getKey()))
        : "outside-the-table";
    String operands = SYMBOLIC.matcher(l.operands()).find()
        ? SYMBOLIC.matcher(l.operands()).replaceFirst(Matcher.quoteReplacement("<" + name + ">"))
        : l.operands() + " <" + name + ">";
    return new Line(l.address(), l.mnemonic(), operands);
  }

  /**
   * Every instruction of a dump as "address mnemonic", symbols ignored: two builds whose code
   * lies at the same places, differing only in operands (data addresses), list the same.
   */
  static List<String> addressesAndMnemonics(Path dump, boolean x86) {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(dump)) {
      String s;
      while ((s = r.readLine()) != null) {
        Matcher m = INSN.matcher(s);
        if (m.matches()) {
          Line l = parse(Long.parseUnsignedLong(m.group(1), 16), m.group(2), x86);
          out.add(Long.toHexString(l.address()) + " " + l.mnemonic());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Line parse(long addr, String text, boolean x86) {
    int comment = x86 ? text.indexOf(" #") : text.indexOf("//");
    if (comment >= 0) {
      text = text.substring(0, comment);
    }
    String[] tokens = text.trim().split("[ \t]+", -1);
    int i = 0;
    while (x86 && i < tokens.length - 1
        && (X86_PREFIXES.contains(tokens[i]) || tokens[i].startsWith("rex"))) {
      i++;
    }
    String mnemonic = tokens[i];
    String operands = String.join(" ", List.of(tokens).subList(i + 1, tokens.length));
    return new Line(addr, mnemonic, operands);
  }
}
