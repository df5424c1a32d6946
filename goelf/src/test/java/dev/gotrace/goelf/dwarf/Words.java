package dev.gotrace.goelf.dwarf;

import dev.gotrace.testdata.TestBinary;

/** Pointer size of a matrix binary, from its GOARCH. */
final class Words {
  private Words() {}

  static int of(TestBinary b) {
    return b.arch().equals("386") ? 4 : 8;
  }
}
