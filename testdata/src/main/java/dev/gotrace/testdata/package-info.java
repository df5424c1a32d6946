/**
 * Test support: where the Go test programs of {@code testdata/go} were built (the matrix in the
 * cache, written by {@code testdata/build.sh}), and the rules for skipping (never under CI).
 */
package dev.gotrace.testdata;
