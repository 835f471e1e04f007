package io.coredumptools.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The name of a fixture's cache entry: the fixture's name plus a hash of everything that went into it
 * (source, flags, how the core is made, program arguments, toolchain). Any change gives a new key, so a
 * stale entry is never reused and nothing has to be invalidated.
 */
final class FixtureKey {

    /** Bump when the way fixtures are built changes in a way the other inputs do not show. */
    private static final String RECIPE_VERSION = "2"; // 2: kernel cores and gcore with coredump_filter 0x33

    /** Bump when the way cores are taken at a stop point changes (CoreMaker.GDB_*_AT_STOP). */
    private static final String STOP_RECIPE_VERSION = "stop-1";

    private static final int HASH_HEX_DIGITS = 12;

    private FixtureKey() {}

    /**
     * @param sourceText the C source
     * @param toolchain see {@link Toolchain#fingerprint()}
     * @param sharedProgramKey the key of the fixture whose executable is copied, or "" if compiled
     */
    static String of(Fixture fixture, String sourceText, String toolchain, String sharedProgramKey) {
        String inputs = String.join(
                "\u0000",
                RECIPE_VERSION,
                fixture.name(),
                fixture.sourceFile(),
                sourceText,
                String.join(" ", fixture.gccFlags()),
                String.join(" ", fixture.gccLibraries()),
                fixture.coreMaker().name(),
                String.join(" ", fixture.programArguments()),
                toolchain,
                sharedProgramKey);
        if (!fixture.stopCommands().isEmpty()) {
            // Only when present, so the keys of the fixtures that stop by themselves stay as they were.
            inputs += "\u0000" + STOP_RECIPE_VERSION + "\u0000" + String.join("\n", fixture.stopCommands());
        }
        if (!fixture.coreSignal().equals(CoreSignal.SIGABRT)) {
            inputs += "\u0000" + fixture.coreSignal();
        }
        return fixture.name().toLowerCase(Locale.ROOT) + "-" + sha256Hex(inputs).substring(0, HASH_HEX_DIGITS);
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
