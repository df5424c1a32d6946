// Command gosym is the peer of bench/list-analysis.sh: Go's own reader of the function
// table. It opens a Go ELF binary, reads .gopclntab (and .gosymtab, empty in Go >= 1.3)
// with debug/gosym (NewLineTable + NewTable), walks every function and prints how many
// there are, so the bench can check it read the same table gotrace lists.
package main

import (
	"debug/elf"
	"debug/gosym"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gosym BINARY")
		os.Exit(2)
	}
	f, err := elf.Open(os.Args[1])
	if err != nil {
		fail(err)
	}
	defer f.Close()
	pcln := f.Section(".gopclntab")
	text := f.Section(".text")
	if pcln == nil || text == nil {
		fail(fmt.Errorf("%s: no .gopclntab or .text", os.Args[1]))
	}
	pclnData, err := pcln.Data()
	if err != nil {
		fail(err)
	}
	var symData []byte
	if sym := f.Section(".gosymtab"); sym != nil {
		if symData, err = sym.Data(); err != nil {
			fail(err)
		}
	}
	table, err := gosym.NewTable(symData, gosym.NewLineTable(pclnData, text.Addr))
	if err != nil {
		fail(err)
	}
	funcs, bytes := 0, uint64(0)
	for i := range table.Funcs {
		fn := &table.Funcs[i]
		if fn.Name != "" {
			funcs++
			bytes += fn.End - fn.Entry
		}
	}
	fmt.Printf("%d functions, %d bytes of code\n", funcs, bytes)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gosym:", err)
	os.Exit(1)
}
