// Command forker forks and execs while it is traced, for gotrace's reliability tests.
//
// It calls main.work -n times, then runs two children through os/exec (fork + exec): itself
// with -child (which calls main.work -n times in its own process) and /bin/true; then it calls
// main.work -n more times. Each process prints "calls main.work <n> pid <pid>" for its own calls;
// the child's line is prefixed "child ".
//
// With -wait it prints "ready <pid>" and waits for a line on stdin before it starts, so a
// tracer can attach first.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
)

var (
	rounds = flag.Int("n", 50, "calls of main.work before and after the children")
	child  = flag.Bool("child", false, "run as the child: only the calls")
	wait   = flag.Bool("wait", false, "print \"ready <pid>\" and wait for a line on stdin first")
)

var calls, sink int

//go:noinline
func work(i int) int {
	calls++
	return i*7 + 1
}

func burst(n int) {
	for i := 0; i < n; i++ {
		sink += work(i)
	}
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "forker: %s: %v\n", name, err)
		os.Exit(1)
	}
}

func main() {
	flag.Parse()
	if *child {
		burst(*rounds)
		fmt.Printf("child calls main.work %d pid %d\n", calls, os.Getpid())
		return
	}
	if *wait {
		fmt.Printf("ready %d\n", os.Getpid())
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	burst(*rounds)
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "forker: %v\n", err)
		os.Exit(1)
	}
	run(self, "-child", "-n", fmt.Sprint(*rounds))
	run("/bin/true")
	burst(*rounds)
	fmt.Printf("calls main.work %d pid %d\n", calls, os.Getpid())
}
