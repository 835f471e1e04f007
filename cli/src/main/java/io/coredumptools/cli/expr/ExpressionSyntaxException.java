package io.coredumptools.cli.expr;

/** A call expression that does not parse: what was expected, and where (0-based column in the source). */
public final class ExpressionSyntaxException extends Exception {
    private final String source;
    private final int column;
    private final String problem;

    ExpressionSyntaxException(String source, int column, String problem) {
        super("column " + (column + 1) + ": " + problem);
        this.source = source;
        this.column = Math.max(0, Math.min(column, source.length()));
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** 0-based; {@code source().length()} when the expression ended too early. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position: {@code expected ')' to close the argument list}. */
    public String problem() {
        return problem;
    }

    /** Two lines: the expression, and a caret under the column, each indented by {@code indent}. */
    public String pointer(String indent) {
        return indent + source + "\n" + indent + " ".repeat(column) + "^";
    }
}
