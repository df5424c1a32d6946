package dev.gotrace.goelf.pclntab;

/** A source position: file path as recorded in the binary, and line (1-based). */
public record SourcePos(String file, int line) {
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
