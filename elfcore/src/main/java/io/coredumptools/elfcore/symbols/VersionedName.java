package io.coredumptools.elfcore.symbols;

/**
 * A symbol name split from its version: {@code memcpy@@GLIBC_2.14} (the default version),
 * {@code memcpy@GLIBC_2.2.5} (any version of that name, usually a non-default one) or plain {@code memcpy}.
 * The same spelling is used by lookup queries and by the names ld writes into .symtab.
 *
 * @param name            the plain name
 * @param version         the version, or "" when none was given
 * @param defaultRequired written with {@code @@}: only the default version matches
 */
record VersionedName(String name, String version, boolean defaultRequired) {

    static VersionedName parse(String text) {
        // A leading '@' is part of no version syntax; treat such a name as plain.
        int at = text.indexOf('@');
        if (at <= 0) {
            return new VersionedName(text, "", false);
        }
        boolean isDefault = text.startsWith("@@", at);
        String version = text.substring(at + (isDefault ? 2 : 1));
        return new VersionedName(text.substring(0, at), version, isDefault);
    }

    boolean hasVersion() {
        return !version.isEmpty();
    }
}
