package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named answers of gdb on a live fixture program stopped where its core was taken: one live session runs the
 * commands in the order given (so "next_id() again" is the live process's second call), and each answer is what its
 * command printed, normalised ({@link TranscriptNormaliser}). Computed once per fixture and session name.
 */
final class LiveAnswers {
    private static final Map<String, Map<String, String>> CACHE = new ConcurrentHashMap<>();

    private LiveAnswers() {}

    /**
     * @param commands answer name to command, run in this order after {@code settings}
     */
    static Map<String, String> of(
            CoreFixture fixture, String session, List<String> settings, LinkedHashMap<String, String> commands) {
        return CACHE.computeIfAbsent(fixture.name() + "/" + session, key -> {
            List<String> names = new ArrayList<>(commands.keySet());
            GdbScript script = new GdbScript(key, settings, new ArrayList<>(commands.values()));
            GdbTranscript transcript = LiveGroundTruth.at(fixture, script);
            TranscriptNormaliser normaliser = new TranscriptNormaliser();
            Map<String, String> answers = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                answers.put(names.get(i), normaliser.normalise(transcript.section(i)));
            }
            return Map.copyOf(answers);
        });
    }
}
