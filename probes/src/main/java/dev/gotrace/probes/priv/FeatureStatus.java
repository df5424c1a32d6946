package dev.gotrace.probes.priv;

/** Whether a kernel feature is available, and a one-line explanation when it is not. */
public record FeatureStatus(String feature, boolean available, String message) {}
