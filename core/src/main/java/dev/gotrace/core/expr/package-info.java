/**
 * The expressions of {@code --where} and {@code --by} (issue 18), as text becomes a typed tree:
 * {@link dev.gotrace.core.expr.ExprParser} turns {@code r.Method == "GET" && len(name) > 3} into
 * an {@link dev.gotrace.core.expr.Expr}, or refuses it with an {@link
 * dev.gotrace.core.expr.ExprException} naming the column. The tree names values by path (an
 * argument or result by name or position, then fields), not yet by place: resolving a path
 * against a function's DWARF types into a chain of reads, and compiling the tree to eBPF, are
 * later stages.
 *
 * <p>Grammar, loosest first: {@code a || b}; {@code a && b}; one comparison {@code == != < <= >
 * >=} (not chained); {@code !a} (tighter than a comparison, as in Go); a value: an integer ({@code 42}, {@code -1}, {@code 0x1f}), a
 * float ({@code 1.5}, {@code 2e-3}), a string ({@code "GET"} with Go's escapes, or {@code `raw`}),
 * {@code true}, {@code false}, {@code nil}, a call of {@code len(x)}, {@code hasPrefix(x, "p")} or
 * {@code hasSuffix(x, "s")} (Go's {@code strings} names), a path ({@code req.URL.Path}, {@code
 * arg1}, {@code ret0}, a positional one typed for binaries without DWARF: {@code arg1:int}), or a
 * parenthesised expression.
 */
package dev.gotrace.core.expr;
