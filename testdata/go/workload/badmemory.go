package main

import "unsafe"

// Memory a tracer cannot read.

var cWithBadMemory = newCounter("main.withBadMemory")

// badAddress is mapped by nothing in a Go process (the binary is at 0x400000,
// the heap from 0xc000000000) and lies outside the heap, so the garbage
// collector ignores pointers to it; a tracer that follows one must say it
// cannot read it.
const badAddress = 0xdead0000

func badPointer() *Point {
	return (*Point)(unsafe.Pointer(uintptr(badAddress)))
}

// badString is a 5-byte string whose bytes are at badAddress.
func badString() string {
	h := struct {
		data uintptr
		n    int
	}{badAddress, 5}
	return *(*string)(unsafe.Pointer(&h))
}

// withBadMemory never looks at what p and s point to.
//
//go:noinline
func withBadMemory(p *Point, s string) int {
	cWithBadMemory.hit()
	if p == nil {
		return 0
	}
	return len(s)
}
