/**
 * Matching full Go function names ({@code main.main}, {@code main.(*T).M},
 * {@code net/http.(*conn).serve}, {@code main.main.func1}, {@code main.Map[...]}) against what a
 * user types. Names are those of the pclntab, spelled as {@code cmd/compile} and
 * {@code cmd/link} write them.
 *
 * <p>Syntax ({@link dev.gotrace.goelf.match.NamePattern#parse}):
 * <ul>
 *   <li>{@code re:REGEX} — a {@code java.util.regex} expression, found anywhere in the name
 *       (anchor with {@code ^} and {@code $}); e.g. {@code re:^main\.(handle|serve)}.
 *   <li>A glob, matched against the whole name: {@code *} matches any run of characters
 *       <em>including</em> {@code /}, {@code .}, parentheses and brackets, so {@code main.*}
 *       matches {@code main.(*T).M} and the closure {@code main.main.func1}, and
 *       {@code net/http.*} matches {@code net/http.(*conn).serve} but not
 *       {@code net/http/httptest.NewServer} (whose name does not start with {@code net/http.});
 *       {@code ?} matches one character; {@code [...]} matches one type-argument list, so
 *       {@code main.Map[...]} matches {@code main.Map[go.shape.int,go.shape.string]} and the
 *       literal {@code main.Map[...]} that Go 1.21+ writes for shape instantiations. A {@code *}
 *       right after {@code (} is the pointer of a receiver and literal: {@code main.(*T).*} is
 *       every method of {@code *T}. There are no character classes.
 *   <li>Anything else is an exact name; it also matches the instantiations of a generic
 *       function of that name ({@code main.Map} matches {@code main.Map[...]}).
 * </ul>
 */
package dev.gotrace.goelf.match;
