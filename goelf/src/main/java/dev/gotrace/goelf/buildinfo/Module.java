package dev.gotrace.goelf.buildinfo;

import java.util.Optional;

/**
 * A module as recorded in build info: the main module ({@code mod} line) or a dependency
 * ({@code dep} line), possibly replaced ({@code =>} line).
 *
 * @param path module path, e.g. {@code golang.org/x/net}
 * @param version e.g. {@code v0.1.0}, or {@code (devel)} for the main module of a local build
 * @param sum the go.sum hash ("h1:..."), empty when not recorded
 * @param replacement the module it was replaced by, if any
 */
public record Module(String path, String version, String sum, Optional<Module> replacement) {}
