package io.coredumptools.cli.expr;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A C type as written in a cast: {@code (long double)}, {@code (char *)}, {@code (struct point *)}, {@code (float
 * (*)(float, int, float))}. Names are not resolved here: a base type's words are put in the order gdb spells them
 * ("unsigned long"), and any other name (a typedef, {@code struct point}) is looked up in the program's DWARF when
 * the call runs.
 */
public sealed interface TypeName {

    /** The type as gdb spells it. */
    String spelling();

    /** A base type, typedef, or struct/union/enum, by name: "int", "unsigned char", "size_t", "struct point". */
    record Named(String name) implements TypeName {
        @Override
        public String spelling() {
            return name;
        }
    }

    /** A pointer to {@code target}. */
    record Pointer(TypeName target) implements TypeName {
        @Override
        public String spelling() {
            if (target instanceof Function f) {
                return f.returnType().spelling() + " (*)(" + f.parameterList() + ")";
            }
            String inner = target.spelling();
            return inner + (inner.endsWith("*") ? "*" : " *");
        }
    }

    /**
     * A function type, reached through a function-pointer cast.
     *
     * @param prototyped false for an empty parameter list {@code ()}: C's "unknown parameters"; {@code (void)} is
     *     a prototype with none
     */
    record Function(TypeName returnType, List<TypeName> parameters, boolean prototyped, boolean variadic)
            implements TypeName {
        public Function {
            parameters = List.copyOf(parameters);
        }

        @Override
        public String spelling() {
            return returnType.spelling() + " (" + parameterList() + ")";
        }

        String parameterList() {
            if (!prototyped) {
                return "";
            }
            if (parameters.isEmpty() && !variadic) {
                return "void";
            }
            String list = parameters.stream().map(TypeName::spelling).collect(Collectors.joining(", "));
            return variadic ? (list.isEmpty() ? "..." : list + ", ...") : list;
        }
    }
}
