// Command workload makes a known number of calls to functions of every shape a
// Go tracer has to handle, and at exit prints how many calls it made to each,
// one "calls <function> <count>" line per function, so tests can compare counts.
//
// Modes (-mode):
//
//	all      every feature, -n rounds (the default)
//	loop     calls main.hot -n times in a tight loop and prints "ns/call X"
//	sleep    calls main.sleepFor(-sleep-ms) -n times
//	forever  rounds of "all" every -pause-ms until SIGINT/SIGTERM
//
// With -wait it prints "ready <pid>" and waits for a line on stdin before it
// starts, so a tracer can attach first.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	mode       = flag.String("mode", "all", "all, loop, sleep or forever")
	rounds     = flag.Int("n", 10, "rounds (all, sleep) or calls (loop)")
	depth      = flag.Int("depth", 2000, "recursion depth; deep enough to grow the goroutine stack")
	goroutines = flag.Int("goroutines", 20, "goroutines launched per round")
	sleepMs    = flag.Int("sleep-ms", 20, "how long main.sleepFor sleeps")
	pauseMs    = flag.Int("pause-ms", 100, "pause between rounds in forever mode")
	wait       = flag.Bool("wait", false, "print \"ready <pid>\" and wait for a line on stdin first")
)

func main() {
	flag.Parse()
	if *wait {
		fmt.Printf("ready %d\n", os.Getpid())
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	switch *mode {
	case "all":
		for r := 0; r < *rounds; r++ {
			round(r)
		}
	case "loop":
		loop(*rounds)
	case "sleep":
		for r := 0; r < *rounds; r++ {
			sleepFor(*sleepMs)
		}
	case "forever":
		forever()
	default:
		fmt.Fprintf(os.Stderr, "workload: unknown mode %q\n", *mode)
		os.Exit(2)
	}
	printCounts()
}

// round calls every feature once; the counts it adds per round are fixed.
func round(r int) {
	recurse(*depth)
	for i := 0; i < 3; i++ {
		mayPanic(i) // panics (and recovers) when i == 0
	}
	spawn(*goroutines)
	methods(r)
	closures(r)
	runGenerics(r)
	typed(r)
	sink += manyArgs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, r)
	sink += inlineUser(r)
}

func forever() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	tick := time.NewTicker(time.Duration(*pauseMs) * time.Millisecond)
	defer tick.Stop()
	for r := 0; ; r++ {
		select {
		case <-stop:
			return
		case <-tick.C:
			round(r)
		}
	}
}

// sink keeps results alive so the compiler cannot drop the calls.
var sink int

// ---- call counting

type counter struct {
	name string
	n    int64
}

var counters []*counter

func newCounter(name string) *counter {
	c := &counter{name: name}
	counters = append(counters, c)
	return c
}

func (c *counter) hit() { atomic.AddInt64(&c.n, 1) }

func printCounts() {
	sort.Slice(counters, func(i, j int) bool { return counters[i].name < counters[j].name })
	for _, c := range counters {
		fmt.Printf("calls %s %d\n", c.name, atomic.LoadInt64(&c.n))
	}
}

// ---- recursion, panics, goroutines

var cRecurse = newCounter("main.recurse")

// recurse has a large frame so that deep recursion grows (copies) the stack.
//
//go:noinline
func recurse(n int) int {
	cRecurse.hit()
	var pad [32]int
	pad[n%32] = n
	if n == 0 {
		return pad[0]
	}
	return recurse(n-1) + pad[n%32] - n
}

var cMayPanic = newCounter("main.mayPanic")

//go:noinline
func mayPanic(i int) (err error) {
	cMayPanic.hit()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	if i == 0 {
		panic("boom")
	}
	return nil
}

var cWorker = newCounter("main.worker")
var cSpawn = newCounter("main.spawn")

//go:noinline
func spawn(n int) {
	cSpawn.hit()
	var wg sync.WaitGroup
	results, before := make(chan int, n), runtime.NumGoroutine()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(i, &wg, results)
	}
	wg.Wait()
	// wg.Done runs before worker's RET: wait until the workers have returned and exited too, so
	// that every call counted has also completed when the counts are printed.
	for runtime.NumGoroutine() > before {
		runtime.Gosched()
	}
	close(results)
	for v := range results {
		sink += v
	}
}

//go:noinline
func worker(id int, wg *sync.WaitGroup, out chan<- int) {
	cWorker.hit()
	defer wg.Done()
	out <- id * 2
}

// ---- methods and closures

type Point struct {
	X, Y int
}

var cNorm1 = newCounter("main.Point.Norm1")

//go:noinline
func (p Point) Norm1() int {
	cNorm1.hit()
	return abs(p.X) + abs(p.Y)
}

func (p Point) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

type Counter struct {
	total int
}

var cInc = newCounter("main.(*Counter).Inc")

//go:noinline
func (c *Counter) Inc(by int) int {
	cInc.hit()
	c.total += by
	return c.total
}

func methods(r int) {
	p := Point{X: r, Y: -r}
	sink += p.Norm1()
	var c Counter
	for i := 0; i < 3; i++ {
		sink += c.Inc(i)
	}
}

var cMakeAdder = newCounter("main.makeAdder")
var cAdder = newCounter("main.makeAdder.func1")

//go:noinline
func makeAdder(k int) func(int) int {
	cMakeAdder.hit()
	return func(x int) int {
		cAdder.hit()
		return x + k
	}
}

func closures(r int) {
	f := makeAdder(r)
	sink += f(1) + f(2)
}

// ---- arguments and results of many types

var cManyArgs = newCounter("main.manyArgs")

// manyArgs takes twelve integers: in the register ABI the last three go on the stack.
//
//go:noinline
func manyArgs(a, b, c, d, e, f, g, h, i, j, k, l int) int {
	cManyArgs.hit()
	return a + b + c + d + e + f + g + h + i + j + k + l
}

var (
	cWithString    = newCounter("main.withString")
	cWithBytes     = newCounter("main.withBytes")
	cWithInts      = newCounter("main.withInts")
	cWithStruct    = newCounter("main.withStruct")
	cWithPointer   = newCounter("main.withPointer")
	cWithInterface = newCounter("main.withInterface")
	cWithError     = newCounter("main.withError")
	cWithBool      = newCounter("main.withBool")
	cWithFloat     = newCounter("main.withFloat")
	cMultiResult   = newCounter("main.multiResult")
)

//go:noinline
func withString(s string) int {
	cWithString.hit()
	return len(s)
}

//go:noinline
func withBytes(b []byte) int {
	cWithBytes.hit()
	return len(b) + cap(b)
}

//go:noinline
func withInts(xs []int) int {
	cWithInts.hit()
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

//go:noinline
func withStruct(p Point) Point {
	cWithStruct.hit()
	return Point{X: p.Y, Y: p.X}
}

//go:noinline
func withPointer(p *Point) int {
	cWithPointer.hit()
	return p.X * p.Y
}

//go:noinline
func withInterface(v fmt.Stringer) string {
	cWithInterface.hit()
	return v.String()
}

type notFound struct {
	key string
}

func (e *notFound) Error() string { return "not found: " + e.key }

//go:noinline
func withError(fail bool) error {
	cWithError.hit()
	if fail {
		return &notFound{key: "gopher"}
	}
	return nil
}

//go:noinline
func withBool(b bool) bool {
	cWithBool.hit()
	return !b
}

//go:noinline
func withFloat(x float64) float64 {
	cWithFloat.hit()
	return x * 1.5
}

//go:noinline
func multiResult(a int, s string) (int, string, error) {
	cMultiResult.hit()
	if a < 0 {
		return 0, "", fmt.Errorf("negative: %d", a)
	}
	return a * 2, s + s, nil
}

func typed(r int) {
	sink += withString("GopherConRussia2020")
	sink += withBytes([]byte("bytes"))
	sink += withInts([]int{1, 2, 3, r})
	sink += withStruct(Point{X: 3, Y: 4}).X
	sink += withPointer(&Point{X: 5, Y: 6})
	sink += len(withInterface(Point{X: 7, Y: 8}))
	if withError(r%2 == 1) != nil {
		sink++
	}
	if withBool(r%2 == 0) {
		sink++
	}
	sink += int(withFloat(float64(r)+0.25)) + withBadMemory(badPointer(), badString())
	n, s, err := multiResult(r, "go")
	if err == nil {
		sink += n + len(s)
	}
}

// ---- inlining, sleeping, the tight loop

var cAdd = newCounter("main.add")

// add is small enough that the compiler inlines it into inlineUser.
func add(a, b int) int {
	cAdd.hit()
	return a + b
}

//go:noinline
func inlineUser(r int) int {
	return add(r, 1) + add(r, 2)
}

var cSleepFor = newCounter("main.sleepFor")

//go:noinline
func sleepFor(ms int) {
	cSleepFor.hit()
	time.Sleep(time.Duration(ms) * time.Millisecond)
}

var cHot = newCounter("main.hot")

//go:noinline
func hot(i int) int {
	cHot.hit()
	return i ^ (i >> 3)
}

func loop(n int) {
	start := time.Now()
	for i := 0; i < n; i++ {
		sink += hot(i)
	}
	elapsed := time.Since(start)
	per := 0.0
	if n > 0 {
		per = float64(elapsed.Nanoseconds()) / float64(n)
	}
	fmt.Printf("ns/call %.1f\n", per)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
