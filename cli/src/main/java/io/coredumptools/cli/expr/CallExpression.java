package io.coredumptools.cli.expr;

import java.util.List;
import java.util.Optional;

/**
 * A parsed call: {@code (char*)greet("bob")}.
 *
 * @param source         the expression as given
 * @param cast           the result cast written before the call, if any
 * @param function       the function's name (may carry a version: {@code memcpy@GLIBC_2.14})
 * @param functionColumn where the name starts in {@code source} (0-based)
 * @param functionCast   a function-pointer cast of the callee, {@code ((float (*)(float, int))f)(...)}: the
 *     prototype to call it with, as gdb takes it
 * @param arguments      the arguments in order
 */
public record CallExpression(
        String source,
        Optional<Cast> cast,
        String function,
        int functionColumn,
        Optional<Cast> functionCast,
        List<CallArgument> arguments) {
    public CallExpression {
        arguments = List.copyOf(arguments);
    }

    /** Parses {@code text}; see {@link ExpressionParser}. */
    public static CallExpression parse(String text) throws ExpressionSyntaxException {
        return ExpressionParser.parse(text);
    }
}
