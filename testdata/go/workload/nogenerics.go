//go:build !go1.18
// +build !go1.18

package main

// runGenerics does nothing before Go 1.18, which has no type parameters.
func runGenerics(r int) {}
