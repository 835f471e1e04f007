package io.coredumptools.cli.expr;

/** A cast as written: its type and the column of the opening parenthesis (0-based). */
public record Cast(TypeName type, int column) {}
