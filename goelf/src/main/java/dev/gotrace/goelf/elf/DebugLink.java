package dev.gotrace.goelf.elf;

/**
 * The {@code .gnu_debuglink} section: the file name of the separate debug file and the CRC-32
 * of its contents.
 */
public record DebugLink(String fileName, long crc32) {}
