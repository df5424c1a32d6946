/**
 * Go runtime type descriptors read from the binary itself, and the {@code runtime.g} layout
 * derived from them when there is no DWARF.
 *
 * <p>Sources of truth: {@code internal/abi/type.go} (Go 1.21 and later: {@code abi.Type},
 * {@code abi.StructType}, {@code abi.StructField}, {@code abi.Name}) and, before it,
 * {@code runtime/type.go} ({@code _type}, {@code structtype}, {@code structfield}, {@code name})
 * of each toolchain; {@code runtime/proc.go} {@code malg} ({@code newg := new(g)}, whose code
 * loads the address of g's descriptor before calling the allocator); {@code runtime/asm_amd64.s}
 * {@code rt0_go} and {@code mcall} for the cross-checks. Name strings are encoded as a flag
 * byte, then a 2-byte big-endian length before Go 1.17 and a uvarint length since; a struct
 * field's third word is {@code offset<<1 | embedded} before Go 1.19 and the plain offset since.
 * A descriptor's own name ({@code Str}) is a {@code nameOff} from {@code moduledata.types}.
 *
 * <p>Everything read here is untrusted: a descriptor is accepted only when its name, kind,
 * fields and offsets are consistent (see {@link dev.gotrace.goelf.rtype.GLayoutDeriver}); every
 * other outcome is a reason, never a guessed offset.
 */
package dev.gotrace.goelf.rtype;
