package dev.gotrace.goelf.sites;

/**
 * One function's machine code as the function table describes it.
 *
 * @param name the function's name, for messages
 * @param entry address of the first instruction
 * @param end address just past the function (the next function's entry); may include padding
 * @param code the bytes of {@code [entry, end)}; not copied, must not be modified
 */
public record FunctionCode(String name, long entry, long end, byte[] code) {
  public FunctionCode {
    if (end < entry || end - entry != code.length) {
      throw new IllegalArgumentException(name + ": [0x" + Long.toHexString(entry) + ", 0x"
          + Long.toHexString(end) + ") does not match " + code.length + " code bytes");
    }
  }

  /** Whether {@code addr} lies in {@code [entry, end)}. */
  public boolean contains(long addr) {
    return addr >= entry && addr < end;
  }
}
