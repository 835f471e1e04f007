package io.coredumptools.emulator.scope;

import java.util.Optional;

/**
 * What the decision of one call depends on, gathered at its resume.
 *
 * @param outsideCall    a resume with no call in progress (the user stepping or continuing the core)
 * @param failedCall     the call before failed (signal, fault, budget): what it named, or empty
 * @param earlierCalls   code ran since the last restore, so memory may differ from the base
 * @param dataFlow       the input that points into memory earlier calls wrote or allocated, described; empty when none
 * @param inputsUnknown  the first resume of the call is a nested call gdb makes before it sets the call's arguments (its
 *                       {@code malloc} for a string literal): only the previous call's result can tell the data flow
 */
public record CallFacts(
        boolean outsideCall,
        Optional<String> failedCall,
        boolean earlierCalls,
        Optional<String> dataFlow,
        boolean inputsUnknown) {}
