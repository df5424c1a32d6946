/**
 * The questions of {@code --where} and {@code --by} (issue 18), from a parsed {@link
 * dev.gotrace.core.expr.Expr} to eBPF. {@link dev.gotrace.core.query.Scopes} says what a probe of
 * a function sees (parameters and results with DWARF types and places; without DWARF, where the
 * ABI puts positional typed roots such as {@code arg1:int}). {@link
 * dev.gotrace.core.query.QueryPlanner} resolves paths into fixed chains of reads ({@link
 * dev.gotrace.core.query.Access}: a root, a field offset, at most 8 pointer reads), types the
 * tree with Go's rules ({@link dev.gotrace.core.query.Cond}), refuses with the column
 * ({@link dev.gotrace.core.query.QueryException}), and splits it: conjuncts on parameters decide
 * at the entry, the rest at a return with the entry's part saved as captured bits; {@code --by}
 * parts become a {@link dev.gotrace.core.query.KeyLayout}. {@link dev.gotrace.core.query.QueryAsm}
 * emits the eBPF blocks programs embed (R6 = pt_regs; R0–R5 and a stack {@link
 * dev.gotrace.core.query.Window} written), and {@link dev.gotrace.core.query.Evaluator} is the
 * same semantics in Java over recorded bytes, the oracle of the emitted code's tests.
 *
 * <p>Package variables (issue 19) are a root too: {@link dev.gotrace.core.query.Globals} reads
 * them from DWARF (compile-unit-level variables, addresses cross-checked with the symbol table);
 * a path {@code pkg.name...} whose {@code pkg} is no parameter resolves to an {@link
 * dev.gotrace.core.abi.ArgLocation.Static} piece: the link address, plus in a PIE the load bias
 * {@code pt_regs->ip} minus the probe's link address ({@link dev.gotrace.core.query.Scope#site}).
 * {@link dev.gotrace.core.query.Shows} ({@code --show}) and {@link dev.gotrace.core.query.HistQuery}
 * ({@code --hist}: the value a histogram counts) build on the same resolution.
 */
package dev.gotrace.core.query;
