/**
 * Renderers: one output model ({@code dev.gotrace.core.inspect} values, later events and
 * aggregates), several forms — aligned text for people, NDJSON for programs. Golden-tested.
 */
package dev.gotrace.cli.render;
