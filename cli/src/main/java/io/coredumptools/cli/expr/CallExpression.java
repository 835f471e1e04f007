package io.coredumptools.cli.expr;

import java.util.List;

/**
 * A parsed call: {@code (char*)greet("bob")}.
 *
 * @param source         the expression as given
 * @param cast           the result cast, {@link ResultCast#NONE} when none was written
 * @param function       the function's name (may carry a version: {@code memcpy@GLIBC_2.14})
 * @param functionColumn where the name starts in {@code source} (0-based)
 * @param arguments      the arguments in order
 */
public record CallExpression(
        String source, ResultCast cast, String function, int functionColumn, List<CallArgument> arguments) {
    public CallExpression {
        arguments = List.copyOf(arguments);
    }

    /** Parses {@code text}; see {@link ExpressionParser}. */
    public static CallExpression parse(String text) throws ExpressionSyntaxException {
        return ExpressionParser.parse(text);
    }
}
