package io.coredumptools.elfcore.dwarf;

/**
 * A formal parameter of a function.
 *
 * @param name       empty when the DWARF names none (a declaration's parameters often have no name)
 * @param type       the type resolved for the ABI
 * @param typeName   the type as declared, as gdb prints it ("cstr", "const char *")
 * @param artificial made up by the compiler, such as C++'s {@code this}: still passed like the others
 */
public record Parameter(String name, CType type, String typeName, boolean artificial) {}
