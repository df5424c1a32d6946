/**
 * Source lines to probe sites: a target as the user names it ({@code main.go:52},
 * {@code pkg/file.go:52}, {@code main.loop+4}) resolved through the pclntab's file, line and
 * inline-index tables (runtime/symtab.go {@code pcvalue}; the same tables {@code runtime.Caller}
 * reads, so stripped binaries resolve too) to one statement boundary per copy of the line's code,
 * each an instruction start of the function's linear decode, after its stack check.
 */
package dev.gotrace.goelf.lines;
