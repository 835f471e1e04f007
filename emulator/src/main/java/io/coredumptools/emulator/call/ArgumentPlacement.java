package io.coredumptools.emulator.call;

import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.unicorn.X86Register;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each argument goes under the System V AMD64 ABI: the first six integers and eight doubles in
 * registers, the rest on the stack in order, 8 bytes each.
 */
record ArgumentPlacement(List<RegisterValue> integerRegisters, List<Double> vectorRegisters, List<Long> stackWords) {
    private static final X86Register[] INTEGER_REGISTERS = {
        X86Register.RDI, X86Register.RSI, X86Register.RDX, X86Register.RCX, X86Register.R8, X86Register.R9
    };
    private static final int VECTOR_REGISTERS = 8;

    record RegisterValue(X86Register register, long value) {}

    static ArgumentPlacement of(List<Argument> arguments) {
        List<RegisterValue> integers = new ArrayList<>();
        List<Double> vectors = new ArrayList<>();
        List<Long> stack = new ArrayList<>();
        for (Argument argument : arguments) {
            if (argument instanceof Argument.Integer i) {
                if (integers.size() < INTEGER_REGISTERS.length) {
                    integers.add(new RegisterValue(INTEGER_REGISTERS[integers.size()], i.value()));
                } else {
                    stack.add(i.value());
                }
            } else if (argument instanceof Argument.Double d) {
                if (vectors.size() < VECTOR_REGISTERS) {
                    vectors.add(d.value());
                } else {
                    stack.add(java.lang.Double.doubleToRawLongBits(d.value()));
                }
            }
        }
        return new ArgumentPlacement(integers, vectors, stack);
    }
}
