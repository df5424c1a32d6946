// Command look is the test program of gotrace's "look anywhere" features: probes at a source
// line, package variables, value histograms and Go stack traces. Every number it makes is known
// in advance, so tests can compare what a tracer saw with what happened.
//
// Each round (-n rounds, default 1):
//
//	loop     main.loop(-iters) runs its body once per i = 0 .. iters-1 (the line marked LOOP-BODY)
//	inlined  main.clamp is inlined into main.useClampA and main.useClampB; the line marked
//	         CLAMP-LINE runs once per call in each copy (2 calls from A, 3 from B per round)
//	globals  main.handle runs -handles times; each call adds 1 to main.requests after the line
//	         marked HANDLE-ENTRY, and main.cfg.Mode is "steady"
//	hist     main.size(v) is called for v = 0 .. -hist-n - 1
//	stacks   main.leaf is reached through three chains, a fixed number of times each:
//	         main.chainA -> main.leaf                                    3 per round
//	         main.chainB -> main.mid -> main.leaf                        5 per round
//	         main.chainC -> main.wrap (inlined) -> main.leaf             7 per round
//
// At exit it prints "calls <function> <count>" per function and "requests <n>".
// With -wait it prints "ready <pid>" and waits for a line on stdin before it starts.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

var (
	rounds  = flag.Int("n", 1, "rounds")
	iters   = flag.Int("iters", 10, "iterations of main.loop's body per round")
	handles = flag.Int("handles", 4, "calls of main.handle per round")
	histN   = flag.Int("hist-n", 100, "calls of main.size per round, with v = 0 .. hist-n - 1")
	wait    = flag.Bool("wait", false, "print \"ready <pid>\" and wait for a line on stdin first")
)

// Config is the type of the package variable main.cfg.
type Config struct {
	Mode  string
	Limit int
}

var (
	requests int64
	cfg      = Config{Mode: "steady", Limit: 100}
	sink     int
	calls    = map[string]int{}
)

func main() {
	flag.Parse()
	if *wait {
		fmt.Printf("ready %d\n", os.Getpid())
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	for r := 0; r < *rounds; r++ {
		round()
	}
	for _, name := range []string{"main.loop", "main.step", "main.useClampA", "main.useClampB",
		"main.handle", "main.size", "main.chainA", "main.chainB", "main.chainC", "main.mid", "main.leaf"} {
		fmt.Printf("calls %s %d\n", name, calls[name])
	}
	fmt.Printf("requests %d\n", requests)
}

func round() {
	sink += loop(*iters)
	for i := 0; i < 2; i++ {
		sink += useClampA(i * 70)
	}
	for i := 0; i < 3; i++ {
		sink += useClampB(i * 60)
	}
	for i := 0; i < *handles; i++ {
		handle(i)
	}
	for v := 0; v < *histN; v++ {
		sink += size(v)
	}
	for i := 0; i < 3; i++ {
		chainA()
	}
	for i := 0; i < 5; i++ {
		chainB()
	}
	for i := 0; i < 7; i++ {
		chainC()
	}
}

// ---- a line in a loop body

//go:noinline
func loop(n int) int {
	calls["main.loop"]++
	acc := 0
	for i := 0; i < n; i++ {
		acc += step(i) // LOOP-BODY
	}
	return acc
}

//go:noinline
func step(i int) int {
	calls["main.step"]++
	return i * 3
}

// ---- a line inside an inlined function

func clamp(v int) int {
	if v > cfg.Limit { // CLAMP-LINE
		return cfg.Limit
	}
	return v
}

//go:noinline
func useClampA(v int) int {
	calls["main.useClampA"]++
	return clamp(v) + 1
}

//go:noinline
func useClampB(v int) int {
	calls["main.useClampB"]++
	return clamp(v+5) * 2
}

// ---- package variables

//go:noinline
func handle(i int) {
	calls["main.handle"]++ // HANDLE-ENTRY
	requests++
	sink += i
}

// ---- a value with a known distribution

//go:noinline
func size(v int) int {
	calls["main.size"]++
	return v & 7
}

// ---- three call chains to one function

//go:noinline
func leaf() int {
	calls["main.leaf"]++
	return len(calls)
}

//go:noinline
func chainA() {
	calls["main.chainA"]++
	sink += leaf()
}

//go:noinline
func chainB() {
	calls["main.chainB"]++
	sink += mid()
}

//go:noinline
func mid() int {
	calls["main.mid"]++
	return leaf() + 1
}

// wrap is small enough to be inlined into chainC.
func wrap() int {
	return leaf() * 2
}

//go:noinline
func chainC() {
	calls["main.chainC"]++
	sink += wrap()
}
