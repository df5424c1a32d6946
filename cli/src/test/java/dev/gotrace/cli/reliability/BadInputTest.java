package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.cli.ExitCode;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input to the tracing commands: one line naming the problem, a hint, the documented exit
 * code, nothing on stdout. {@code info} and {@code list} are covered by InfoListTest, and funcs'
 * refusals of patterns and pids by FuncsCommandTest; here every tracing command gets every case.
 */
class BadInputTest {
  @TempDir Path tmp;

  static void refused(InProcess r, ExitCode code, String what) throws Exception {
    refused(r.exitCode(), r.out().toString(), r.err().toString(), code, what);
  }

  static void refused(int exit, String out, String err, ExitCode code, String what) {
    assertEquals(code.code(), exit, err);
    String[] lines = err.strip().split("\n");
    assertEquals(2, lines.length, err);
    assertTrue(lines[0].startsWith("gotrace: ") && lines[0].contains(what), err);
    assertTrue(lines[1].startsWith("hint: "), err);
    assertEquals("", out);
  }

  private static String workload() {
    return TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"funcs", "args", "latency"})
  void filesThatAreNotTraceableGoPrograms(String command) throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.txt"), "just text\n".repeat(20));
    refused(InProcess.run(command, text.toString(), "main.*"), ExitCode.NOT_GO, "not an ELF file");
    refused(InProcess.run(command, "/bin/ls", "main.*"), ExitCode.NOT_GO, "not a Go program");
    byte[] all = Files.readAllBytes(Path.of(workload()));
    Path cut = Files.write(tmp.resolve("workload-truncated"), Arrays.copyOf(all, all.length / 3));
    refused(InProcess.run(command, cut.toString(), "main.*"), ExitCode.CORRUPT, "truncated");
  }

  @ParameterizedTest
  @ValueSource(strings = {"args", "latency"})
  void anArm64BinaryANameThatMatchesNothingAndAMissingPid(String command) throws Exception {
    String arm = TestBinaries.get("go1.24", "arm64", "default", "workload").path().toString();
    refused(InProcess.run(command, arm, "main.hot"), ExitCode.UNSUPPORTED, "arm64 binary");
    refused(InProcess.run(command, workload(), "main.noSuchFunction"), ExitCode.NO_MATCH,
        "matches main.noSuchFunction");
    refused(InProcess.run(command, "main.hot", "-p", "999999999"), ExitCode.NO_TARGET,
        "no process with pid 999999999");
  }

  /**
   * A distro build (external link, stripped) whose pclntab header no longer gives runtime.text, as
   * Go 1.26+ leaves it: Go 1.24's with that word zeroed. Taking the text start from {@code .text}
   * (where the C start-up code is) shifts every function, and the last check before attach
   * refuses such a plan with the plan exit code before anything reaches the kernel (no root
   * needed). goelf now proves runtime.text from the module data, so the command traces (exit 0
   * after --duration); a refusal of the binary itself would also do. Never is a probe attached at
   * a wrong address.
   */
  @ParameterizedTest
  @ValueSource(strings = {"funcs", "args", "latency"})
  void aWrongTextStartIsRefusedBeforeAttach(String command) throws Exception {
    Path bin = TestBinaries.get("go1.24", "amd64", "distro", "workload").path();
    byte[] image = Files.readAllBytes(bin);
    long pclntab;
    try (dev.gotrace.goelf.GoBinary b = dev.gotrace.goelf.GoBinary.open(bin)) {
      pclntab = b.elf().section(".gopclntab").orElseThrow().offset();
    }
    // Go 1.18+ pcHeader: magic(4) pad(2) minLC(1) ptrSize(1) nfunc(8) nfiles(8) textStart(8)
    java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(Math.toIntExact(pclntab + 24), 0);
    Path damaged = Files.write(tmp.resolve("workload-no-text-start"), image);
    InProcess r = InProcess.run(command, damaged.toString(), "main.*", "--duration", "1s");
    String err = r.err().toString();
    if (r.exitCode() == 0) {
      assertTrue(err.contains("Tracing ") || err.contains("Timing "), err);
      return;
    }
    List<String> lines = err.strip().lines().filter(l -> !l.startsWith("gotrace: note: ")).toList();
    assertEquals(2, lines.size(), err);
    assertTrue(lines.get(1).startsWith("hint: "), err);
    if (lines.get(0).startsWith("gotrace: refusing to attach ")) {
      assertEquals(ExitCode.UNSUPPORTED.code(), r.exitCode(), err);
      assertTrue(lines.get(0).contains("out of step with the pclntab") || lines.get(0).contains("instruction boundary")
          || lines.get(0).contains("outside every function"), err);
      assertTrue(lines.get(1).contains("nothing was attached"), err);
    } else {
      assertTrue(r.exitCode() == ExitCode.UNSUPPORTED.code() || r.exitCode() == ExitCode.CORRUPT.code(), err);
    }
    assertEquals("", r.out().toString());
  }

  /** The CLI run as nobody with no capabilities, from copies it can read. */
  @Test
  void aUserWithoutCapabilitiesIsToldWhatIsMissing() throws Exception {
    TestBinaries.requireRoot();
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.copy(Path.of(workload()), tmp.resolve("workload"));
    List<String> classpath = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(":")) {
      Path from = Path.of(entry);
      if (Files.exists(from)) {
        Path to = tmp.resolve("cp" + i++ + "-" + from.getFileName());
        copyTree(from, to);
        classpath.add(to.toString());
      }
    }
    Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
        "--inh-caps=-all", GotraceJvm.java(), "-cp", String.join(":", classpath), "dev.gotrace.cli.Main",
        "funcs", bin.toString(), "main.hot")
        .directory(tmp.toFile()).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile())
        .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = Files.readString(tmp.resolve("err"));
    refused(p.exitValue(), Files.readString(tmp.resolve("out")), err, ExitCode.NO_PERMISSION,
        "cannot load eBPF programs: missing [");
    assertTrue(err.contains("CAP_BPF") && err.contains("CAP_PERFMON"), err);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path src : all.toList()) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString(
            Files.isDirectory(src) || Files.isExecutable(src) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }
}
