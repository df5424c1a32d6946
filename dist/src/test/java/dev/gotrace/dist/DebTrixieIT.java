package dev.gotrace.dist;

/** The Debian package in a clean Debian trixie (see {@link DebPackageChecks}). */
class DebTrixieIT extends DebPackageChecks {
  DebTrixieIT() {
    super("trixie");
  }
}
