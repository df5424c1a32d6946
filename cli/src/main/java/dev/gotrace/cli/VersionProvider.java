package dev.gotrace.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "development" when run from classes. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "gotrace " + (v == null ? "development build" : v),
      "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch")
    };
  }
}
