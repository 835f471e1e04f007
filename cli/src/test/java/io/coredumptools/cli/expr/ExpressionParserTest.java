package io.coredumptools.cli.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.cli.expr.CallArgument.AddressOf;
import io.coredumptools.cli.expr.CallArgument.DoubleLiteral;
import io.coredumptools.cli.expr.CallArgument.IntegerLiteral;
import io.coredumptools.cli.expr.CallArgument.StringLiteral;
import io.coredumptools.cli.expr.CallArgument.SymbolValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionParserTest {

    @Test
    void callWithoutArgumentsOrCast() throws Exception {
        CallExpression call = CallExpression.parse("next_id()");
        assertThat(call.function()).isEqualTo("next_id");
        assertThat(call.cast()).isEmpty();
        assertThat(call.functionCast()).isEmpty();
        assertThat(call.arguments()).isEmpty();
        assertThat(call.functionColumn()).isZero();
        assertThat(call.source()).isEqualTo("next_id()");
    }

    @Test
    void whitespaceEverywhere() throws Exception {
        CallExpression call = CallExpression.parse("  ( char * )  greet ( \"bob\" ,  1 )  ");
        assertThat(call.cast().orElseThrow().type().spelling()).isEqualTo("char *");
        assertThat(call.cast().orElseThrow().column()).isEqualTo(2);
        assertThat(call.function()).isEqualTo("greet");
        assertThat(call.functionColumn()).isEqualTo(14);
        assertThat(call.arguments()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "(char*)f()|char *",
                "(const char *)f()|char *",
                "(char const*)f()|char *",
                "(char **)f()|char **",
                "(double)f()|double",
                "(int)f()|int",
                "(signed)f()|int",
                "(unsigned)f()|unsigned int",
                "(long)f()|long",
                "(long int)f()|long",
                "(unsigned long int)f()|unsigned long",
                "(long long)f()|long long",
                "(short int)f()|short",
                "(unsigned char)f()|unsigned char",
                "(float)f()|float",
                "(long double)f()|long double",
                "(void)f()|void",
                "(_Bool)f()|_Bool",
                "(size_t)f()|size_t",
                "(struct point *)f()|struct point *",
                "(void (*)(int))f()|void (*)(int)",
                "(double (*)(void))f()|double (*)(void)",
                "(int (*)())f()|int (*)()",
                "(int (*)(const char *, ...))f()|int (*)(char *, ...)"
            })
    void resultCasts(String text, String spelling) throws Exception {
        assertThat(CallExpression.parse(text).cast().orElseThrow().type().spelling())
                .isEqualTo(spelling);
    }

    @Test
    void aFunctionPointerCastGivesTheCalleeItsPrototype() throws Exception {
        CallExpression call = CallExpression.parse("((float (*)(float, int, float))fmixed)(1.5, 2, 0.25)");
        assertThat(call.cast()).isEmpty();
        assertThat(call.function()).isEqualTo("fmixed");
        assertThat(call.functionColumn()).isEqualTo(31);
        TypeName.Pointer pointer =
                (TypeName.Pointer) call.functionCast().orElseThrow().type();
        TypeName.Function function = (TypeName.Function) pointer.target();
        assertThat(function.returnType()).isEqualTo(new TypeName.Named("float"));
        assertThat(function.parameters())
                .containsExactly(new TypeName.Named("float"), new TypeName.Named("int"), new TypeName.Named("float"));
        assertThat(function.prototyped()).isTrue();
        assertThat(call.arguments()).hasSize(3);
        CallExpression both = CallExpression.parse("(int) ((long double (*)(long double)) f) (1)");
        assertThat(both.cast().orElseThrow().type().spelling()).isEqualTo("int");
        assertThat(both.functionCast().orElseThrow().type().spelling()).isEqualTo("long double (*)(long double)");
    }

    @Test
    void argumentCasts() throws Exception {
        CallExpression call = CallExpression.parse("f((char)65, (double) 1, (float)(int)2.5)");
        assertThat(call.arguments()).hasSize(3);
        CallArgument.Casted first = (CallArgument.Casted) call.arguments().get(0);
        assertThat(first.cast().type().spelling()).isEqualTo("char");
        assertThat(first.operand()).isInstanceOf(IntegerLiteral.class);
        assertThat(first.column()).isEqualTo(2);
        CallArgument.Casted third = (CallArgument.Casted) call.arguments().get(2);
        assertThat(((CallArgument.Casted) third.operand()).cast().type().spelling())
                .isEqualTo("int");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "1|int",
                "-1|int",
                "2147483647|int",
                "2147483648|long",
                "-2147483648|long",
                "0x80000000|unsigned int",
                "0xffffffffffffffff|unsigned long",
                "18446744073709551615|unsigned long",
                "1u|unsigned int",
                "1L|long",
                "1UL|unsigned long",
                "'a'|char"
            })
    void integerLiteralsHaveTheTypesCGivesThem(String text, String type) throws Exception {
        IntegerLiteral literal = (IntegerLiteral)
                CallExpression.parse("f(" + text + ")").arguments().get(0);
        assertThat(literal.type().spelling()).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"1.5|double", "1.5f|float", "2e3F|float", "1.1L|long double", ".5l|long double"})
    void floatingLiteralsHaveTheTypesTheirSuffixesGive(String text, String type) throws Exception {
        DoubleLiteral literal = (DoubleLiteral)
                CallExpression.parse("f(" + text + ")").arguments().get(0);
        assertThat(literal.type().spelling()).isEqualTo(type);
        assertThat(literal.exact()).isEqualByComparingTo(text.replaceAll("[fFlL]$", ""));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "42|42",
                "-7|-7",
                "+7|7",
                "0x10|16",
                "0XfF|255",
                "-0x10|-16",
                "0|0",
                "010|8",
                "'a'|97",
                "'\\n'|10",
                "'\\0'|0",
                "'\\xff'|-1",
                "9223372036854775807|9223372036854775807",
                "-9223372036854775808|-9223372036854775808",
                "0xffffffffffffffff|-1",
                "18446744073709551615|-1",
                "42L|42",
                "7ul|7"
            })
    void integers(String text, long value) throws Exception {
        assertThat(CallExpression.parse("f(" + text + ")").arguments())
                .singleElement()
                .isInstanceOfSatisfying(
                        IntegerLiteral.class, i -> assertThat(i.value()).isEqualTo(value));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5|1.5",
                "-2.25|-2.25",
                ".5|0.5",
                "3.|3.0",
                "1e3|1000.0",
                "2.5E-1|0.25",
                "-1e+2|-100.0",
                "0.0|0.0"
            })
    void doubles(String text, double value) throws Exception {
        assertThat(CallExpression.parse("f(" + text + ")").arguments())
                .singleElement()
                .isInstanceOfSatisfying(
                        DoubleLiteral.class, d -> assertThat(d.value()).isEqualTo(value));
    }

    @Test
    void stringEscapes() throws Exception {
        CallExpression call = CallExpression.parse("f(\"a\\n\\t\\\\\\\"b\\0c\\x41\\101\\e\", \"\", \"é\")");
        assertThat(call.arguments()).hasSize(3);
        assertThat(((StringLiteral) call.arguments().get(0)).bytes())
                .containsExactly('a', '\n', '\t', '\\', '"', 'b', 0, 'c', 'A', 'A', 27);
        assertThat(((StringLiteral) call.arguments().get(1)).bytes()).isEmpty();
        assertThat(((StringLiteral) call.arguments().get(2)).bytes()).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
        assertThat(call.arguments().get(0).column()).isEqualTo(2);
        assertThat(call.arguments().get(0).text()).isEqualTo("\"a\\n\\t\\\\\\\"b\\0c\\x41\\101\\e\"");
    }

    @Test
    void stringWithCommaAndParenthesesIsOneArgument() throws Exception {
        CallExpression call = CallExpression.parse("f(\"a, b)\", 2)");
        assertThat(call.arguments()).hasSize(2);
        assertThat(((StringLiteral) call.arguments().get(0)).value()).isEqualTo("a, b)");
    }

    @Test
    void symbolsAndAddresses() throws Exception {
        CallExpression call = CallExpression.parse("point_sum(gp, &counter, & list_head, memcpy@GLIBC_2.14)");
        assertThat(call.arguments())
                .containsExactly(
                        new SymbolValue("gp", 10),
                        new AddressOf("counter", 14),
                        new AddressOf("list_head", 24),
                        new SymbolValue("memcpy@GLIBC_2.14", 37));
    }

    @Test
    void versionedFunctionName() throws Exception {
        assertThat(CallExpression.parse("memcpy@@GLIBC_2.14(0, 0, 0)").function())
                .isEqualTo("memcpy@@GLIBC_2.14");
    }

    @Test
    void eightArguments() throws Exception {
        assertThat(CallExpression.parse("sum8(1, 2, 3, 4, 5, 6, 7, 8)").arguments())
                .hasSize(8)
                .allSatisfy(a -> assertThat(a).isInstanceOf(IntegerLiteral.class));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``|0|empty expression",
                "`next_id`|7|expected '(' after 'next_id'",
                "`next_id(`|8|expected an argument",
                "`f(1`|3|expected ',' or ')'",
                "`f(1,)`|4|expected an argument after ','",
                "`f(1 2)`|4|expected ',' or ')' after the argument, found '2'",
                "`f(\"abc)`|2|unterminated string",
                "`f(g())`|2|nested calls are not supported",
                "`(unsigned double)f()`|1|'unsigned double' is not a C type",
                "`(long long long)f()`|1|is not a C type",
                "`(int foo)f()`|5|'foo' cannot follow 'int'",
                "`((int)f)(1)`|1|a function is cast to a function-pointer type",
                "`((int (*)(int))f(1)`|16|expected ')' to close the '(' of the cast function",
                "`(int (*)(int, ...)f()`|18|expected ')' to close the cast, found 'f'",
                "`(int (*)(...,int))f()`|12|expected ',' or ')' in the parameter list",
                "`(int (*))f()`|8|expected the parameter list",
                "`(char*`|0|unclosed '('",
                "`(char*f()`|6|expected ')' to close the cast, found 'f'",
                "`()f()`|1|empty cast",
                "`f() g()`|4|after the call",
                "`f(-)`|2|expected a number after '-'",
                "`f(09)`|3|octal",
                "`f(0x)`|4|expected hex digits",
                "`f(1.5.2)`|5|unexpected '.'",
                "`f(12abc)`|4|unexpected 'a'",
                "`f(1e)`|3|exponent",
                "`f(\"\\q\")`|3|unknown escape \\q",
                "`f('')`|2|empty character literal",
                "`f('ab')`|2|unterminated character literal",
                "`f(&)`|3|expected a symbol name after '&'",
                "`f(&1)`|3|expected a symbol name after '&'",
                "`f((int))`|7|expected an argument after the cast (int)",
                "`f(#)`|2|expected an argument",
                "`f(0x10000000000000000)`|2|does not fit in 64 bits",
                "`f(-9223372036854775809)`|2|does not fit in 64 bits",
                "`1f()`|0|expected a function name",
                "`(int)`|5|expected a function name after the cast"
            })
    void syntaxErrorsSayWhatAndWhere(String text, int column, String problem) {
        assertThatThrownBy(() -> CallExpression.parse(text))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class, e -> {
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.source()).isEqualTo(text);
                    assertThat(e.getMessage()).startsWith("column " + (column + 1) + ": ");
                });
    }

    @Test
    void pointerPutsACaretUnderTheColumn() {
        assertThatThrownBy(() -> CallExpression.parse("f(1 2)"))
                .isInstanceOfSatisfying(
                        ExpressionSyntaxException.class,
                        e -> assertThat(e.pointer("  ")).isEqualTo("  f(1 2)\n      ^"));
    }
}
