package dev.gotrace.dist;

/** The Debian package in a clean Debian bookworm (see {@link DebPackageChecks}). */
class DebBookwormIT extends DebPackageChecks {
  DebBookwormIT() {
    super("bookworm");
  }
}
