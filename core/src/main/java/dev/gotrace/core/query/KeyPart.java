package dev.gotrace.core.query;

/**
 * One {@code --by} part of a key: {@code size} bytes at {@code offset} in the key, written by the
 * entry program ({@code atExit} false: it uses only parameters) or at a return ({@code atExit}:
 * only results).
 *
 * @param text the part as written ("req.URL.Path")
 * @param index its position in {@code --by}, and its bit in the key's unreadable word
 */
public record KeyPart(String text, int index, Kind kind, Source source, boolean atExit, int offset, int size) {
  /** How the part is stored: INT/UINT/BOOL/FLOAT in 8 bytes, STRING as u64 length then bytes. */
  public enum Kind { INT, UINT, BOOL, FLOAT, STRING }

  /** What the part's bytes come from. */
  public sealed interface Source {}

  /** An integer, bool or float value, sign- or zero-extended to 8 bytes (a float its raw IEEE bits). */
  public record Value(TExpr value) implements Source {}

  /** A string: its length, then its first {@code bytes} bytes, zero padded to {@code size - 8}. */
  public record Text(Access string, int bytes) implements Source {}

  /** A condition, keyed as a bool ({@code --by 'err != nil'}); never unreadable (a fault is false). */
  public record Test(Cond cond) implements Source {}
}
