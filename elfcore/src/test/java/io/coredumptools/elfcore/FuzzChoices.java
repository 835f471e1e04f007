package io.coredumptools.elfcore;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.coredumptools.testkit.fuzz.CoreMutator;

/** The fuzzer's data as the decisions of a {@link CoreMutator} (exhausted data decides the smallest choices). */
public record FuzzChoices(FuzzedDataProvider data) implements CoreMutator.Choices {
    @Override
    public int pick(int bound) {
        return data.consumeInt(0, bound - 1);
    }

    @Override
    public long bits() {
        return data.consumeLong();
    }
}
