/**
 * Go build info: the toolchain version and module information {@code go build} embeds in
 * {@code .go.buildinfo} (or, without section headers, at the magic in the data segment), in
 * both the pointer format (before Go 1.18) and the inline format (Go 1.18+), with the module
 * text parsed into modules and build settings. Sources of truth: {@code debug/buildinfo},
 * {@code runtime/debug/mod.go}, {@code cmd/link/internal/ld/data.go}.
 */
package dev.gotrace.goelf.buildinfo;
