package io.coredumptools.elfcore.dwarf;

import static io.coredumptools.elfcore.dwarf.DwarfConstants.*;

import io.coredumptools.elfcore.CoreFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a function's signature from its DW_TAG_subprogram. Names, types and flags the DIE lacks come from the
 * DIEs it continues (DW_AT_abstract_origin, DW_AT_specification); the parameters are the DIE's own children,
 * as gdb takes them.
 */
final class SignatureReader {
    private final DwarfContext context;
    private final TypeNames names;
    private final TypeResolver types;

    SignatureReader(DwarfContext context, TypeNames names, TypeResolver types) {
        this.context = context;
        this.names = names;
        this.types = types;
    }

    FunctionSignature read(Die function) throws CoreFormatException {
        Optional<String> linkageName = context.inheritedString(function, DW_AT_linkage_name);
        if (linkageName.isEmpty()) {
            linkageName = context.inheritedString(function, DW_AT_MIPS_linkage_name);
        }
        String name = context.inheritedString(function, DW_AT_name).orElse("");
        if (name.isEmpty() && linkageName.isPresent()) {
            name = linkageName.get();
        }
        List<AddressRange> ranges = context.ranges(function);
        boolean cplusplus = function.unit().bases().cplusplus();
        boolean prototyped = cplusplus || context.inheritedFlag(function, DW_AT_prototyped);

        Optional<Die> returnHolder = context.withAttribute(function, DW_AT_type);
        CType returnType = returnHolder.isPresent() ? types.typeOf(returnHolder.get()) : VoidType.INSTANCE;
        String returnTypeName = returnHolder.isPresent() ? names.typeOf(returnHolder.get()) : "void";

        List<Parameter> parameters = new ArrayList<>();
        boolean variadic = false;
        for (Die child : context.children(function)) {
            if (child.tag() == DW_TAG_formal_parameter) {
                Optional<Die> holder = context.withAttribute(child, DW_AT_type);
                CType type = holder.isPresent() ? types.typeOf(holder.get()) : VoidType.INSTANCE;
                String typeName = holder.isPresent() ? names.typeOf(holder.get()) : "void";
                parameters.add(new Parameter(
                        context.inheritedString(child, DW_AT_name).orElse(""),
                        type,
                        typeName,
                        context.inheritedFlag(child, DW_AT_artificial)));
            } else if (child.tag() == DW_TAG_unspecified_parameters) {
                variadic = true;
            }
        }
        return new FunctionSignature(
                name,
                linkageName,
                function.unit().bases().name(),
                context.inheritedFlag(function, DW_AT_external),
                !ranges.isEmpty(),
                ranges,
                entryAddress(function, ranges),
                prototyped,
                variadic,
                returnType,
                returnTypeName,
                parameters,
                names.function(function));
    }

    /** DW_AT_entry_pc (an address, or in DWARF 5 an offset from DW_AT_low_pc), else the start of the code. */
    private OptionalLong entryAddress(Die function, List<AddressRange> ranges) throws CoreFormatException {
        OptionalLong low = context.address(function, DW_AT_low_pc);
        OptionalLong entry = context.address(function, DW_AT_entry_pc);
        if (entry.isPresent()) {
            return entry;
        }
        OptionalLong entryOffset = context.constant(function, DW_AT_entry_pc);
        if (entryOffset.isPresent() && low.isPresent()) {
            return OptionalLong.of(low.getAsLong() + entryOffset.getAsLong());
        }
        if (low.isPresent()) {
            return low;
        }
        return ranges.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(ranges.get(0).start());
    }
}
