package dev.gotrace.probes.link;

/**
 * One place to probe: a file offset in the binary (not a virtual address) and the 64-bit cookie
 * the program reads back with {@code bpf_get_attach_cookie} to tell sites apart.
 */
public record UprobeSite(long fileOffset, long cookie) {
  public UprobeSite {
    if (fileOffset < 0) {
      throw new IllegalArgumentException("negative file offset " + fileOffset);
    }
  }
}
