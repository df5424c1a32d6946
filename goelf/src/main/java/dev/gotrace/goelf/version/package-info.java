/**
 * Go toolchain versions as values ({@link dev.gotrace.goelf.version.GoVersion}): parsed from the
 * version string Go records in a binary ({@code runtime.Version()}, build info), or inferred as
 * a range from the pclntab format. Spelling per Go's {@code go/version} package and release
 * history ("go1.N" is the first release of a series, then "go1.N.P"; "devel ..." for builds from
 * source).
 */
package dev.gotrace.goelf.version;
