/**
 * What the user is told when something fails, whoever asks (the CLI prints it as
 * {@code gotrace: MESSAGE} and {@code hint: HINT} with an exit code per {@link
 * dev.gotrace.core.failure.Failure.Kind}; the Java API throws it as a checked exception): the one
 * place an exception from goelf, probes or core becomes one line and a hint.
 */
package dev.gotrace.core.failure;
