package io.coredumptools.cli.expr;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the call expressions of {@code corestub call}: a function name, its arguments in parentheses, and
 * optionally a result cast before it.
 *
 * <pre>
 * expression := [ cast ] callee "(" [ argument { "," argument } ] ")"
 * callee     := name | "(" cast name ")"         (the cast a function-pointer type: the prototype to call with)
 * cast       := "(" type ")"
 * type       := specifiers { "*" } [ "(*)" "(" [ type { "," type } [ "," "..." ] | "void" ] ")" ]
 * specifiers := C base type words (unsigned long, long double, char, ...) | struct/union/enum TAG | a typedef
 *               name; const and volatile are ignored
 * argument   := cast argument | integer | double | string | character | "&amp;" name | name
 * integer    := [-+] ( decimal | 0x hex | 0 octal ) [u|U|l|L]...     (up to 64 bits; 0xffffffffffffffff is -1)
 * double     := [-+] digits with a "." or an exponent: 1.5, .5, 2., 1e-3; then f for a float, l for long double
 * string     := "..." with the C escapes \n \t \r \a \b \f \v \e \\ \" \' \? \0 \NNN (octal) \xNN
 * character  := 'c' or a single escape: an integer, the byte's value
 * name       := [A-Za-z_$][A-Za-z0-9_$.@]*   (so versioned names such as memcpy@GLIBC_2.14)
 * </pre>
 * Whitespace may separate every token. Errors carry the column where the problem is.
 */
public final class ExpressionParser {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final String source;
    private int pos;

    private ExpressionParser(String source) {
        this.source = source;
    }

    public static CallExpression parse(String source) throws ExpressionSyntaxException {
        return new ExpressionParser(source).expression();
    }

    private CallExpression expression() throws ExpressionSyntaxException {
        skipSpaces();
        if (atEnd()) {
            throw error(pos, "empty expression: write a call such as next_id() or (char*)greet(\"bob\")");
        }
        Optional<Cast> cast = Optional.empty();
        if (peek() == '(' && nextNonSpace(pos + 1) != '(') {
            cast = Optional.of(cast());
            skipSpaces();
        }
        Optional<Cast> functionCast = Optional.empty();
        int nameColumn;
        String name;
        if (!atEnd() && peek() == '(') {
            // ((float (*)(float, int))fmixed)(...): the callee cast to the prototype to call it with.
            int open = pos;
            pos++;
            skipSpaces();
            Cast prototype = cast();
            if (!(prototype.type() instanceof TypeName.Pointer p && p.target() instanceof TypeName.Function)) {
                throw error(
                        prototype.column(),
                        "a function is cast to a function-pointer type, such as (double (*)(int, double)), not to ("
                                + prototype.type().spelling() + ")");
            }
            functionCast = Optional.of(prototype);
            skipSpaces();
            nameColumn = pos;
            if (atEnd() || !isNameStart(peek())) {
                throw error(pos, "expected a function name after the function-pointer cast");
            }
            name = name();
            skipSpaces();
            if (atEnd() || peek() != ')') {
                throw error(atEnd() ? open : pos, "expected ')' to close the '(' of the cast function");
            }
            pos++;
        } else {
            nameColumn = pos;
            if (atEnd() || !isNameStart(peek())) {
                throw error(
                        pos,
                        atEnd()
                                ? "expected a function name after the cast"
                                : "expected a function name, found " + describeChar(pos));
            }
            name = name();
        }
        skipSpaces();
        if (atEnd() || peek() != '(') {
            throw error(
                    pos,
                    "expected '(' after '" + name + "': a call is written " + name + "(ARGUMENTS), e.g. " + name
                            + "()");
        }
        pos++;
        List<CallArgument> arguments = new ArrayList<>();
        skipSpaces();
        if (!atEnd() && peek() == ')') {
            pos++;
        } else {
            while (true) {
                skipSpaces();
                arguments.add(argument(arguments.isEmpty() ? "'('" : "','"));
                skipSpaces();
                if (atEnd()) {
                    throw error(pos, "expected ',' or ')': the argument list of " + name + " is not closed");
                }
                char c = peek();
                if (c == ')') {
                    pos++;
                    break;
                }
                if (c != ',') {
                    throw error(pos, "expected ',' or ')' after the argument, found " + describeChar(pos));
                }
                pos++;
            }
        }
        skipSpaces();
        if (!atEnd()) {
            throw error(
                    pos,
                    "unexpected " + describeChar(pos) + " after the call: give one call per argument "
                            + "(quote each, e.g. 'next_id()' 'next_id()')");
        }
        return new CallExpression(source, cast, name, nameColumn, functionCast, arguments);
    }

    /** At '(': a cast {@code (TYPE)}. */
    private Cast cast() throws ExpressionSyntaxException {
        int open = pos;
        pos++;
        skipSpaces();
        if (atEnd()) {
            throw error(open, "unclosed '(': a cast is written (TYPE), e.g. (char*), (double), (long double)");
        }
        if (peek() == ')') {
            throw error(pos, "empty cast '()'");
        }
        TypeName type = typeName();
        skipSpaces();
        if (atEnd()) {
            throw error(open, "unclosed '(': a cast is written (TYPE), e.g. (char*), (double), (long double)");
        }
        if (peek() != ')') {
            throw error(pos, "expected ')' to close the cast, found " + describeChar(pos));
        }
        pos++;
        return new Cast(type, open);
    }

    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict");
    private static final Set<String> BASE_WORDS =
            Set.of("signed", "unsigned", "short", "long", "int", "char", "float", "double", "void", "_Bool", "bool");

    /**
     * A type name: specifiers (base type words, {@code struct TAG}, or one typedef name), then {@code *}s, then
     * optionally {@code (*)(PARAMETERS)} for a pointer to a function.
     */
    private TypeName typeName() throws ExpressionSyntaxException {
        int start = pos;
        List<String> baseWords = new ArrayList<>();
        String named = null;
        while (true) {
            skipSpaces();
            if (atEnd() || !isNameStart(peek())) {
                break;
            }
            int wordStart = pos;
            String word = word();
            if (QUALIFIERS.contains(word)) {
                continue;
            }
            if (word.equals("struct") || word.equals("union") || word.equals("enum")) {
                skipSpaces();
                if (atEnd() || !isNameStart(peek())) {
                    throw error(pos, "expected the tag after '" + word + "'");
                }
                word = word + " " + word();
            } else if (BASE_WORDS.contains(word)) {
                baseWords.add(word);
                continue;
            }
            if (named != null || !baseWords.isEmpty()) {
                throw error(
                        wordStart,
                        "'" + word + "' cannot follow '"
                                + source.substring(start, wordStart).strip() + "' in a type");
            }
            named = word;
        }
        if (named != null && !baseWords.isEmpty()) {
            throw error(start, "'" + named + "' cannot be combined with " + String.join(" ", baseWords));
        }
        if (named == null && baseWords.isEmpty()) {
            throw error(pos, atEnd() ? "expected a type" : "expected a type, found " + describeChar(pos));
        }
        TypeName type = named != null ? new TypeName.Named(named) : baseType(baseWords, start);
        while (true) {
            skipSpaces();
            if (!atEnd() && peek() == '*') {
                pos++;
                type = new TypeName.Pointer(type);
            } else if (!atEnd() && isNameStart(peek()) && QUALIFIERS.contains(peekWord())) {
                word();
            } else {
                break;
            }
        }
        if (!atEnd() && peek() == '(') {
            int open = pos;
            pos++;
            skipSpaces();
            if (atEnd() || peek() != '*') {
                throw error(open, "expected '(*)' for a pointer to a function, e.g. (double (*)(int, double))");
            }
            pos++;
            skipSpaces();
            if (atEnd() || peek() != ')') {
                throw error(pos, "expected ')' after '(*', e.g. (double (*)(int, double))");
            }
            pos++;
            skipSpaces();
            if (atEnd() || peek() != '(') {
                throw error(pos, "expected the parameter list after '(*)', e.g. (double (*)(int, double))");
            }
            type = new TypeName.Pointer(parameters(type));
        }
        return type;
    }

    /** At '(': a function type's parameter list, {@code ()}, {@code (void)} or {@code (int, double, ...)}. */
    private TypeName.Function parameters(TypeName returnType) throws ExpressionSyntaxException {
        int open = pos;
        pos++;
        skipSpaces();
        if (!atEnd() && peek() == ')') {
            pos++;
            return new TypeName.Function(returnType, List.of(), false, false);
        }
        List<TypeName> parameters = new ArrayList<>();
        boolean variadic = false;
        while (true) {
            skipSpaces();
            if (source.startsWith("...", pos)) {
                pos += 3;
                variadic = true;
            } else {
                parameters.add(typeName());
            }
            skipSpaces();
            if (atEnd()) {
                throw error(open, "the parameter list is not closed: add ')'");
            }
            if (peek() == ')') {
                pos++;
                break;
            }
            if (peek() != ',' || variadic) {
                throw error(pos, "expected ',' or ')' in the parameter list, found " + describeChar(pos));
            }
            pos++;
        }
        if (parameters.size() == 1 && parameters.get(0).equals(new TypeName.Named("void")) && !variadic) {
            parameters = List.of();
        }
        return new TypeName.Function(returnType, parameters, true, variadic);
    }

    /** The base type named by {@code words}, spelled as gdb spells it: "unsigned long", "long double", "char". */
    private TypeName baseType(List<String> words, int column) throws ExpressionSyntaxException {
        int longs = count(words, "long");
        boolean unsigned = words.contains("unsigned");
        boolean signed = words.contains("signed");
        String spelled = String.join(" ", words);
        String name;
        if (unsigned && signed) {
            throw error(column, "'" + spelled + "' is both signed and unsigned");
        } else if (words.contains("void")) {
            name = only(words, "void", column);
        } else if (words.contains("_Bool") || words.contains("bool")) {
            name = words.size() == 1 ? "_Bool" : null;
        } else if (words.contains("float")) {
            name = only(words, "float", column);
        } else if (words.contains("double")) {
            name = words.size() == 1 ? "double" : (longs == 1 && words.size() == 2 ? "long double" : null);
        } else if (words.contains("char")) {
            name = words.size() == (unsigned || signed ? 2 : 1)
                    ? (unsigned ? "unsigned char" : signed ? "signed char" : "char")
                    : null;
        } else if (words.contains("short")) {
            name = words.size() - count(words, "int") == (unsigned || signed ? 2 : 1)
                    ? (unsigned ? "unsigned short" : "short")
                    : null;
        } else if (longs > 2 || count(words, "int") > 1) {
            name = null;
        } else {
            String size = longs == 2 ? "long long" : longs == 1 ? "long" : "int";
            name = unsigned ? "unsigned " + size : size;
        }
        if (name == null) {
            throw error(column, "'" + spelled + "' is not a C type");
        }
        return new TypeName.Named(name);
    }

    private String only(List<String> words, String word, int column) throws ExpressionSyntaxException {
        if (words.size() != 1) {
            throw error(column, "'" + String.join(" ", words) + "' is not a C type");
        }
        return word;
    }

    private static int count(List<String> words, String word) {
        return (int) words.stream().filter(word::equals).count();
    }

    private CallArgument argument(String after) throws ExpressionSyntaxException {
        int start = pos;
        if (atEnd()) {
            throw error(pos, "expected an argument after " + after);
        }
        char c = peek();
        if (c == ')' || c == ',') {
            throw error(pos, "expected an argument after " + after);
        }
        if (c == '"') {
            return string();
        }
        if (c == '\'') {
            return character();
        }
        if (c == '&') {
            pos++;
            skipSpaces();
            if (atEnd() || !isNameStart(peek())) {
                throw error(pos, "expected a symbol name after '&'");
            }
            String name = name();
            return new CallArgument.AddressOf(name, start);
        }
        if (isNameStart(c)) {
            String name = name();
            int after1 = pos;
            skipSpaces();
            if (!atEnd() && peek() == '(') {
                throw error(
                        start,
                        "nested calls are not supported: call " + name + "(...) in an expression of " + "its own");
            }
            pos = after1;
            return new CallArgument.SymbolValue(name, start);
        }
        if (c == '-' || c == '+' || c == '.' || isDigit(c)) {
            return number();
        }
        if (c == '(') {
            Cast cast = cast();
            skipSpaces();
            return new CallArgument.Casted(
                    cast, argument("the cast (" + cast.type().spelling() + ")"));
        }
        throw error(
                pos, "expected an argument (a number, \"string\", 'c', &symbol or symbol), found " + describeChar(pos));
    }

    private CallArgument number() throws ExpressionSyntaxException {
        int start = pos;
        boolean negative = false;
        if (peek() == '-' || peek() == '+') {
            negative = peek() == '-';
            pos++;
        }
        int digitsStart = pos;
        if (!atEnd()
                && peek() == '0'
                && pos + 1 < source.length()
                && (source.charAt(pos + 1) == 'x' || source.charAt(pos + 1) == 'X')) {
            pos += 2;
            int hexStart = pos;
            while (!atEnd() && Character.digit(peek(), 16) >= 0) {
                pos++;
            }
            if (pos == hexStart) {
                throw error(pos, "expected hex digits after 0x");
            }
            return integer(new BigInteger(source.substring(hexStart, pos), 16), negative, start);
        }
        while (!atEnd() && isDigit(peek())) {
            pos++;
        }
        boolean isDouble = false;
        if (!atEnd() && peek() == '.') {
            isDouble = true;
            pos++;
            while (!atEnd() && isDigit(peek())) {
                pos++;
            }
        }
        if (pos == digitsStart || (isDouble && pos == digitsStart + 1)) {
            throw error(
                    start,
                    "expected a number after "
                            + (pos > start
                                    ? "'" + source.substring(start, pos) + "'"
                                    : "'" + source.charAt(start) + "'"));
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            int exponent = pos;
            pos++;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                pos++;
            }
            int exponentDigits = pos;
            while (!atEnd() && isDigit(peek())) {
                pos++;
            }
            if (pos == exponentDigits) {
                throw error(exponent, "expected the exponent's digits after '" + source.substring(exponent, pos) + "'");
            }
            isDouble = true;
        }
        if (isDouble) {
            if (!atEnd() && "fFlL".indexOf(peek()) >= 0) {
                pos++;
            }
            String text = source.substring(start, pos);
            requireEndOfNumber(start);
            double value = Double.parseDouble(text.replaceFirst("[fFlL]$", ""));
            if (Double.isInfinite(value)) {
                throw error(start, "the double " + text + " is out of range");
            }
            return new CallArgument.DoubleLiteral(value, text, start);
        }
        String digits = source.substring(digitsStart, pos);
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            for (int i = 0; i < digits.length(); i++) {
                if (digits.charAt(i) > '7') {
                    throw error(
                            digitsStart + i,
                            "'" + digits + "' is octal (it starts with 0), and " + digits.charAt(i)
                                    + " is no octal digit: drop the leading 0 for a decimal");
                }
            }
            return integer(new BigInteger(digits, 8), negative, start);
        }
        return integer(new BigInteger(digits), negative, start);
    }

    /** An integer literal: suffixes u/U/l/L are accepted and ignored; the value must fit in 64 bits. */
    private CallArgument integer(BigInteger magnitude, boolean negative, int start) throws ExpressionSyntaxException {
        while (!atEnd() && "uUlL".indexOf(peek()) >= 0) {
            pos++;
        }
        requireEndOfNumber(start);
        String text = source.substring(start, pos);
        BigInteger value = negative ? magnitude.negate() : magnitude;
        if (value.compareTo(TWO_TO_64) >= 0 || value.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0) {
            throw error(start, "the integer " + text + " does not fit in 64 bits");
        }
        return new CallArgument.IntegerLiteral(value.longValue(), text, start);
    }

    private void requireEndOfNumber(int start) throws ExpressionSyntaxException {
        if (!atEnd() && (isNameChar(peek()) || peek() == '.')) {
            throw error(
                    pos,
                    "unexpected " + describeChar(pos) + " in the number starting '" + source.substring(start, pos)
                            + "'");
        }
    }

    private CallArgument string() throws ExpressionSyntaxException {
        int start = pos;
        pos++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (atEnd()) {
                throw error(start, "unterminated string: add the closing \"");
            }
            char c = peek();
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                bytes.write(escape());
            } else {
                int codePoint = source.codePointAt(pos);
                pos += Character.charCount(codePoint);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new CallArgument.StringLiteral(bytes.toByteArray(), source.substring(start, pos), start);
    }

    private CallArgument character() throws ExpressionSyntaxException {
        int start = pos;
        pos++;
        if (atEnd() || peek() == '\'') {
            throw error(start, "empty character literal: write one character, e.g. 'a' or '\\n'");
        }
        int value;
        if (peek() == '\\') {
            value = escape();
        } else {
            char c = peek();
            if (c > 0x7f) {
                throw error(pos, "a character literal holds one byte: use a string for " + describeChar(pos));
            }
            value = c;
            pos++;
        }
        if (atEnd() || peek() != '\'') {
            throw error(start, "unterminated character literal: add the closing '");
        }
        pos++;
        return new CallArgument.IntegerLiteral((byte) value, source.substring(start, pos), start);
    }

    /** At a backslash: the byte the escape stands for. */
    private int escape() throws ExpressionSyntaxException {
        int backslash = pos;
        pos++;
        if (atEnd()) {
            throw error(backslash, "a backslash ends the expression: write \\\\ for a backslash");
        }
        char c = peek();
        pos++;
        switch (c) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'a':
                return 7;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'v':
                return 11;
            case 'e':
                return 27;
            case '\\':
                return '\\';
            case '"':
                return '"';
            case '\'':
                return '\'';
            case '?':
                return '?';
            case 'x': {
                int digitsStart = pos;
                int value = 0;
                while (!atEnd() && pos - digitsStart < 2 && Character.digit(peek(), 16) >= 0) {
                    value = value * 16 + Character.digit(peek(), 16);
                    pos++;
                }
                if (pos == digitsStart) {
                    throw error(backslash, "\\x needs one or two hex digits, e.g. \\x41");
                }
                return value;
            }
            default:
                if (c >= '0' && c <= '7') {
                    int value = c - '0';
                    for (int i = 0; i < 2 && !atEnd() && peek() >= '0' && peek() <= '7'; i++) {
                        value = value * 8 + (peek() - '0');
                        pos++;
                    }
                    if (value > 0xff) {
                        throw error(
                                backslash,
                                "the octal escape " + source.substring(backslash, pos) + " is more than a byte");
                    }
                    return value;
                }
                throw error(backslash, "unknown escape \\" + c + ": use \\n \\t \\r \\\\ \\\" \\0 \\xNN or \\NNN");
        }
    }

    private String name() {
        int start = pos;
        pos++;
        while (!atEnd() && isNameChar(peek())) {
            pos++;
        }
        return source.substring(start, pos);
    }

    /** A C identifier: letters, digits, '_' and '$' (no version suffix). */
    private String word() {
        int start = pos;
        pos++;
        while (!atEnd() && (isNameStart(peek()) || isDigit(peek()))) {
            pos++;
        }
        return source.substring(start, pos);
    }

    private String peekWord() {
        int saved = pos;
        String word = word();
        pos = saved;
        return word;
    }

    /** The first character at or after {@code at} that is not whitespace, or 0 at the end. */
    private char nextNonSpace(int at) {
        while (at < source.length() && Character.isWhitespace(source.charAt(at))) {
            at++;
        }
        return at < source.length() ? source.charAt(at) : 0;
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private static int leadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private boolean atEnd() {
        return pos >= source.length();
    }

    private char peek() {
        return source.charAt(pos);
    }

    private String describeChar(int at) {
        int codePoint = source.codePointAt(at);
        return codePoint == '\'' ? "\"'\"" : "'" + new String(Character.toChars(codePoint)) + "'";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || isDigit(c) || c == '.' || c == '@';
    }

    private ExpressionSyntaxException error(int column, String problem) {
        return new ExpressionSyntaxException(source, column, problem);
    }
}
