/**
 * {@code runtime.firstmoduledata}, the runtime's record of where a module's text, types and
 * funcdata are: found (the {@code .go.module} section of Go 1.26+, the symbol, or the one place
 * whose first word points at the pclntab header), read with a layout per Go release
 * ({@link dev.gotrace.goelf.moduledata.ModuleLayout}, from {@code runtime/symtab.go} of each), and
 * proven against the pclntab and the segments before any word is used. It is the source of
 * runtime.text from Go 1.26, whose pclntab header no longer records it, and of {@code gofunc},
 * the base of funcdata offsets such as inline trees (Go 1.18+).
 */
package dev.gotrace.goelf.moduledata;
