/**
 * The one bounds-checked reader of untrusted bytes. Every read past the end, every negative or
 * oversized length, becomes a {@link dev.gotrace.goelf.CorruptBinaryException} naming the
 * section and offset; nothing here throws an unchecked exception for bad input.
 */
package dev.gotrace.goelf.io;
