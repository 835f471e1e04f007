package io.coredumptools.elfcore.dwarf;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What DWARF tells about one function: its name, where its code is and how to call it.
 *
 * @param linkageName    the mangled (C++) or assembler name when the DWARF gives one
 * @param compileUnit    the name of the compile unit (its main source file, as the compiler was given it)
 * @param external       visible outside its unit (not {@code static})
 * @param definition     a definition with code; false for a declaration (a prototype the unit only uses)
 * @param ranges         the function's code, link-time addresses; several ranges when gcc split it (f and
 *     f.cold); empty for declarations
 * @param entryAddress   where a call enters the function (DW_AT_entry_pc, DW_AT_low_pc or the first range)
 * @param prototyped     declared with a prototype (DW_AT_prototyped, or any C++ function); without one callers
 *     apply the default argument promotions
 * @param variadic       ends in {@code ...}
 * @param returnTypeName the return type as declared, as gdb prints it
 * @param typeName       the function's type as gdb's {@code whatis} prints it: "int (const char *, ...)"
 */
public record FunctionSignature(
        String name,
        Optional<String> linkageName,
        String compileUnit,
        boolean external,
        boolean definition,
        List<AddressRange> ranges,
        OptionalLong entryAddress,
        boolean prototyped,
        boolean variadic,
        CType returnType,
        String returnTypeName,
        List<Parameter> parameters,
        String typeName) {

    public FunctionSignature {
        ranges = List.copyOf(ranges);
        parameters = List.copyOf(parameters);
    }

    public List<CType> parameterTypes() {
        return parameters.stream().map(Parameter::type).toList();
    }

    /** Whether {@code address} (link-time) is in the function's code. */
    public boolean contains(long address) {
        return ranges.stream().anyMatch(r -> r.contains(address));
    }

    @Override
    public String toString() {
        return name + ": " + typeName;
    }
}
