package io.coredumptools.emulator.syscall;

import io.coredumptools.emulator.FaultKind;

/**
 * A system call that ends the call: the emulator cannot or must not carry it out.
 *
 * @param kind    the fault it becomes
 * @param address the address involved (the lock word for a lock wait), or 0
 * @param detail  what happened, naming the call and its arguments
 */
public record SyscallStop(FaultKind kind, long address, String detail) {}
