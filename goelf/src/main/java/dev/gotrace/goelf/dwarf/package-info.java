/**
 * The DWARF debugging information of a Go binary, read for what a tracer needs: functions with
 * their formal parameters (names, Go types, results marked by DW_AT_variable_parameter, entry
 * locations), their local variables (DW_TAG_variable in the function, its lexical blocks and
 * inlined copies, in scope by block ranges, live by location list; read per function on demand),
 * a resolved graph of Go types, and the offsets of {@code runtime.g} fields.
 *
 * <p>Sources of truth: the DWARF 4 and DWARF 5 standards (unit headers, forms, location lists),
 * Go's {@code cmd/internal/dwarf/dwarf.go} for the Go attributes (DW_AT_go_kind 0x2900, go_key
 * 0x2901, go_elem 0x2902, go_embedded_field 0x2903, go_runtime_type 0x2904, go_package_name
 * 0x2905, go_dict_index 0x2906) and {@code cmd/link/internal/ld/dwarf.go} for the shapes the
 * linker gives strings, slices, interfaces, maps and channels. Go 1.15 to 1.24 emit DWARF 4 in
 * 32-bit format; DWARF 5 units (gcc-compiled C in cgo binaries, Go with DWARF 5) and the
 * 64-bit format are read too.
 *
 * <p>Entry points: {@link dev.gotrace.goelf.dwarf.GoDwarf#read} (every unit) and
 * {@link dev.gotrace.goelf.dwarf.DwarfUnits} (an index of the units from their headers and root
 * DIEs, then only the units some code and the Go types need, plus every unit those refer to;
 * Go writes no {@code .debug_aranges}); {@link dev.gotrace.goelf.dwarf.DwarfUnits#packageVariables}
 * reads one package's units for its package-level variables (top-level DW_TAG_variable with a
 * DW_OP_addr location, as cmd/link writes them). All input is untrusted: every failure is a
 * {@link dev.gotrace.goelf.CorruptBinaryException} naming section and offset.
 */
package dev.gotrace.goelf.dwarf;
