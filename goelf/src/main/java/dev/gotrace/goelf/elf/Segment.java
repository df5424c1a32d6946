package dev.gotrace.goelf.elf;

/**
 * One ELF program header (segment).
 *
 * @param type p_type (PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4)
 * @param flags p_flags (PF_X = 1, PF_W = 2, PF_R = 4)
 */
public record Segment(
    long type, long flags, long offset, long vaddr, long filesz, long memsz, long align) {

  public static final long PT_LOAD = 1;
  public static final long PT_DYNAMIC = 2;
  public static final long PT_INTERP = 3;
  public static final long PT_NOTE = 4;
  public static final long PF_X = 1;
  public static final long PF_W = 2;

  public boolean isLoad() {
    return type == PT_LOAD;
  }

  public boolean isExecutable() {
    return (flags & PF_X) != 0;
  }

  public boolean isWritable() {
    return (flags & PF_W) != 0;
  }

  /** Whether {@code vaddr} lies in the part of this segment backed by file bytes. */
  public boolean containsInFile(long vaddr) {
    return Long.compareUnsigned(vaddr, this.vaddr) >= 0
        && Long.compareUnsigned(vaddr - this.vaddr, filesz) < 0;
  }

  /** Whether {@code vaddr} lies in this segment's memory image (file bytes, then zeros). */
  public boolean containsInMemory(long vaddr) {
    return Long.compareUnsigned(vaddr, this.vaddr) >= 0
        && Long.compareUnsigned(vaddr - this.vaddr, memsz) < 0;
  }
}
