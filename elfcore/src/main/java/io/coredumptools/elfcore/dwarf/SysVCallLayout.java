package io.coredumptools.elfcore.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where the arguments and the result of one call go under the System V AMD64 calling convention (psABI
 * §3.2.3): each argument is classified; it takes registers only when all the registers it needs of each kind
 * are still free, otherwise it goes to the stack (and later, smaller arguments may still take registers).
 * Stack arguments are placed in order, each at an offset aligned to 8 or to its own alignment up to 16.
 *
 * @param stackBytes      the size of the argument area on the stack (a multiple of 8)
 * @param vectorRegisters how many xmm registers the arguments use: the value of %al for a variadic callee
 */
public record SysVCallLayout(
        ReturnLocation returnValue, List<ArgumentLocation> arguments, long stackBytes, int vectorRegisters) {

    private static final long MAX_STACK_SLOT_ALIGNMENT = 16;

    public SysVCallLayout {
        arguments = List.copyOf(arguments);
    }

    /** The layout of a call to {@code function} with exactly its declared parameters. */
    public static SysVCallLayout of(FunctionSignature function) throws AbiClassificationException {
        return of(function.returnType(), function.parameterTypes());
    }

    /**
     * The layout of a call passing {@code arguments} (already promoted as the call requires: for a variadic or
     * unprototyped callee, float as double and small integers as int) and returning {@code returnType}.
     */
    public static SysVCallLayout of(CType returnType, List<CType> arguments) throws AbiClassificationException {
        ReturnLocation result = returnLocation(returnType);
        int nextInteger = result.inMemory() ? 1 : 0;
        int nextVector = 0;
        long stack = 0;
        List<ArgumentLocation> locations = new ArrayList<>();
        for (CType argument : arguments) {
            boolean byReference = argument instanceof StructType s && s.passByReference();
            SysVClassification classification = SysVClassifier.classify(argument);
            if (byReference) {
                if (nextInteger < SysVRegister.INTEGER_ARGUMENTS.size()) {
                    RegisterPiece pointer =
                            new RegisterPiece(SysVRegister.INTEGER_ARGUMENTS.get(nextInteger++), 0, 0, 8);
                    locations.add(new ArgumentLocation(
                            argument, classification, List.of(pointer), OptionalLong.empty(), true));
                } else {
                    locations.add(
                            new ArgumentLocation(argument, classification, List.of(), OptionalLong.of(stack), true));
                    stack += 8;
                }
                continue;
            }
            int integers = classification.integerRegisters();
            int vectors = classification.vectorRegisters();
            boolean fits = !classification.isPassedInMemory()
                    && nextInteger + integers <= SysVRegister.INTEGER_ARGUMENTS.size()
                    && nextVector + vectors <= SysVRegister.VECTOR_ARGUMENTS.size();
            if (classification.eightbytes().isEmpty()) {
                locations.add(new ArgumentLocation(argument, classification, List.of(), OptionalLong.empty(), false));
            } else if (fits) {
                List<RegisterPiece> pieces = new ArrayList<>();
                List<ArgumentClass> eightbytes = classification.eightbytes();
                for (int i = 0; i < eightbytes.size(); i++) {
                    int size = (int) Math.min(8, argument.byteSize() - 8L * i);
                    switch (eightbytes.get(i)) {
                        case INTEGER ->
                            pieces.add(new RegisterPiece(
                                    SysVRegister.INTEGER_ARGUMENTS.get(nextInteger++), 0, 8L * i, size));
                        case SSE ->
                            pieces.add(new RegisterPiece(
                                    SysVRegister.VECTOR_ARGUMENTS.get(nextVector++), 0, 8L * i, size));
                        case SSEUP ->
                            pieces.add(new RegisterPiece(
                                    SysVRegister.VECTOR_ARGUMENTS.get(nextVector - 1), 8, 8L * i, size));
                        default -> {
                            // NO_CLASS: padding, in no register.
                        }
                    }
                }
                locations.add(new ArgumentLocation(argument, classification, pieces, OptionalLong.empty(), false));
            } else {
                long alignment = Math.max(8, Math.min(MAX_STACK_SLOT_ALIGNMENT, argument.alignment()));
                stack = alignUp(stack, alignment);
                locations.add(new ArgumentLocation(argument, classification, List.of(), OptionalLong.of(stack), false));
                stack += alignUp(argument.byteSize(), 8);
            }
        }
        return new SysVCallLayout(result, locations, stack, nextVector);
    }

    private static ReturnLocation returnLocation(CType type) throws AbiClassificationException {
        if (type instanceof VoidType) {
            return new ReturnLocation(type, new SysVClassification(List.of()), List.of(), false);
        }
        SysVClassification classification = SysVClassifier.classify(type);
        if (classification.isMemory()) {
            return new ReturnLocation(type, classification, List.of(), true);
        }
        List<RegisterPiece> pieces = new ArrayList<>();
        List<ArgumentClass> eightbytes = classification.eightbytes();
        int nextInteger = 0;
        int nextVector = 0;
        for (int i = 0; i < eightbytes.size(); i++) {
            int size = (int) Math.min(8, type.byteSize() - 8L * i);
            switch (eightbytes.get(i)) {
                case INTEGER ->
                    pieces.add(new RegisterPiece(SysVRegister.INTEGER_RESULTS.get(nextInteger++), 0, 8L * i, size));
                case SSE ->
                    pieces.add(new RegisterPiece(SysVRegister.VECTOR_RESULTS.get(nextVector++), 0, 8L * i, size));
                case SSEUP ->
                    pieces.add(new RegisterPiece(SysVRegister.VECTOR_RESULTS.get(nextVector - 1), 8, 8L * i, size));
                case X87 -> pieces.add(new RegisterPiece(SysVRegister.ST0, 0, 8L * i, 10));
                case COMPLEX_X87 -> {
                    pieces.add(new RegisterPiece(SysVRegister.ST0, 0, 0, 10));
                    pieces.add(new RegisterPiece(SysVRegister.ST1, 0, type.byteSize() / 2, 10));
                }
                default -> {
                    // X87UP travels with X87; NO_CLASS is padding.
                }
            }
        }
        return new ReturnLocation(type, classification, pieces, false);
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
