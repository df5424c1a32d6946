//go:build go1.18
// +build go1.18

package main

import "strconv"

var cMap = newCounter("main.Map[...]")
var cSum = newCounter("main.Sum[...]")

// Map applies f to each element; the compiler instantiates it per shape.
//
//go:noinline
func Map[T, U any](xs []T, f func(T) U) []U {
	cMap.hit()
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

type number interface {
	~int | ~float64
}

//go:noinline
func Sum[T number](xs []T) T {
	cSum.hit()
	var t T
	for _, x := range xs {
		t += x
	}
	return t
}

func runGenerics(r int) {
	strs := Map([]int{r, r + 1}, strconv.Itoa)
	sink += len(strs)
	sink += Sum([]int{1, 2, r})
	sink += int(Sum([]float64{0.5, 1.5}))
}
