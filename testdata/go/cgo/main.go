// Command cgo links C code into a Go program, so the linker runs in external
// mode and C functions come before Go ones in the text segment. It calls a Go
// function and a C function -n times each and prints the counts like workload.
package main

/*
static int c_mix(int a, int b) {
	return (a * 31) ^ b;
}
*/
import "C"

import (
	"flag"
	"fmt"
)

var goCalls, cCalls int

//go:noinline
func goMix(a, b int) int {
	goCalls++
	return (a * 17) ^ b
}

//go:noinline
func callC(a, b int) int {
	cCalls++
	return int(C.c_mix(C.int(a), C.int(b)))
}

func main() {
	n := flag.Int("n", 100, "calls of each function")
	flag.Parse()
	sum := 0
	for i := 0; i < *n; i++ {
		sum += goMix(i, sum) + callC(i, sum)
	}
	fmt.Printf("sum %d\n", sum)
	fmt.Printf("calls main.callC %d\n", cCalls)
	fmt.Printf("calls main.goMix %d\n", goCalls)
}
