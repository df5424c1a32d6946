package dev.gotrace.goelf.sites;

import java.util.List;
import java.util.OptionalLong;

/**
 * The probe sites of one function.
 *
 * @param name the function's name
 * @param entry the function's entry address
 * @param status whether the sites can be used
 * @param reason why the function is {@link SiteStatus#UNDECODABLE} or has no exit; empty when OK
 * @param probeEntry where the entry probe goes: the first instruction after the stack-check
 *     prologue, or the entry when there is none; empty when undecodable
 * @param stackCheck whether a stack-check prologue was found
 * @param exits every exit instruction, ascending by address; empty unless OK
 * @param jumpTables indirect jumps recognised as intra-function jump tables (not exits)
 * @param tlsGOffset the offset of {@code g} from the thread pointer when the prologue loads
 *     {@code g} through FS (amd64, stack ABI) or GS (386)
 * @param boundaries the decoded instruction starts; empty when undecodable
 * @param registerGStackGuard the offset of {@code g.stackguard0} when the prologue compares SP
 *     with it through the register ABI's g register (amd64: {@code CMPQ SP, 16(R14)})
 */
public record FunctionSites(
    String name,
    long entry,
    SiteStatus status,
    String reason,
    OptionalLong probeEntry,
    boolean stackCheck,
    List<ExitSite> exits,
    List<JumpTable> jumpTables,
    OptionalLong tlsGOffset,
    InstructionBoundaries boundaries,
    OptionalLong registerGStackGuard) {

  public FunctionSites {
    exits = List.copyOf(exits);
    jumpTables = List.copyOf(jumpTables);
  }

  static FunctionSites undecodable(FunctionCode fn, String reason) {
    return new FunctionSites(fn.name(), fn.entry(), SiteStatus.UNDECODABLE, reason,
        OptionalLong.empty(), false, List.of(), List.of(), OptionalLong.empty(),
        InstructionBoundaries.empty(), OptionalLong.empty());
  }

  /** Whether {@code addr} starts a decoded instruction of this function (validate before attach). */
  public boolean isInstructionBoundary(long addr) {
    return boundaries.isInstructionBoundary(addr);
  }
}
