package io.coredumptools.integration.differential;

/**
 * Commands of a test that are not run here, because they need something only a live process has (its kernel,
 * its continuing execution); {@code commands} is how many it would send.
 */
record Exclusion(String what, int commands, String reason) {}
