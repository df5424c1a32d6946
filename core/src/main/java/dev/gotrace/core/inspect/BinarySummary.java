package dev.gotrace.core.inspect;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.PclntabFormat;
import dev.gotrace.goelf.buildinfo.BuildInfo;
import dev.gotrace.goelf.moduledata.ModuleData;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code gotrace info} reports about a binary.
 *
 * @param path the file
 * @param goVersion e.g. {@code go1.22.12}, or a range such as {@code go1.16–go1.17} when the
 *     binary records no version
 * @param modulePath the main package path from build info, empty when not recorded
 * @param moduleVersion the main module's version, e.g. {@code (devel)}, empty when not recorded
 * @param arch GOARCH
 * @param abi {@code register} or {@code stack}
 * @param pie position-independent executable
 * @param stripped no symbol table
 * @param externallyLinked linked by the system linker (cgo, {@code -linkmode=external})
 * @param dwarf DWARF debug information present
 * @param functions number of functions in the pclntab
 * @param mainFunctions number of functions of package main
 * @param pclntabFormat the pclntab format, e.g. {@code Go 1.20+}
 * @param textStart runtime.text, the base of function entries
 * @param moduleData runtime.firstmoduledata as found and proven, empty when none passed the proof
 * @param buildId the GNU build-id, hex, when present
 * @param settings build settings as recorded (Go 1.18+)
 * @param dwarfProblem why the DWARF present cannot be read (it is then treated as absent), empty when it reads
 */
public record BinarySummary(
    Path path, String goVersion, String modulePath, String moduleVersion, String arch,
    String abi, boolean pie, boolean stripped, boolean externallyLinked, boolean dwarf,
    int functions, int mainFunctions, String pclntabFormat, long textStart, Optional<ModuleData> moduleData,
    Optional<String> buildId, Map<String, String> settings, Optional<String> dwarfProblem) {

  public static BinarySummary of(GoBinary bin) throws GoBinaryException {
    Optional<BuildInfo> bi = bin.buildInfo();
    int minor = bin.goVersion().minor();
    boolean registerAbi = bin.goVersion().minorKnown() && bin.arch().registerAbi(minor);
    long mains = bin.functions().stream().map(GoFunc::name).filter(n -> n.startsWith("main.")).count();
    return new BinarySummary(
        bin.path(),
        bin.goVersion().toString(),
        bi.map(BuildInfo::path).orElse(""),
        bi.flatMap(BuildInfo::main).map(m -> m.version()).orElse(""),
        bin.arch().goArch(),
        registerAbi ? "register" : "stack",
        bin.isPie(),
        bin.isStripped(),
        bin.isExternallyLinked(),
        bin.hasDwarf(),
        bin.functions().size(),
        (int) mains,
        formatLabel(bin.pclntab().format()),
        bin.textStart(),
        bin.moduleData(),
        bin.elf().gnuBuildId(),
        bi.map(BuildInfo::settings).orElse(Map.of()),
        bin.hasDwarf() ? bin.checkDwarf() : Optional.empty());
  }

  private static String formatLabel(PclntabFormat f) {
    return f.upToMinor() == Integer.MAX_VALUE
        ? "Go 1." + f.fromMinor() + "+"
        : "Go 1." + f.fromMinor() + "–1." + f.upToMinor();
  }

  /** "exe" or "pie", then how it was linked. */
  public String buildMode() {
    return (pie ? "pie" : "exe") + ", " + (externallyLinked ? "external link" : "internal link");
  }
}
