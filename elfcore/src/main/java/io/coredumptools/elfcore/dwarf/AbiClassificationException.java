package io.coredumptools.elfcore.dwarf;

/**
 * A type cannot be placed by the calling convention: it is incomplete, unsupported, or its placement depends
 * on compiler options DWARF does not record (such as 32-byte vectors and -mavx). The caller must refuse the
 * call and say why rather than guess.
 */
public class AbiClassificationException extends Exception {
    public AbiClassificationException(String message) {
        super(message);
    }
}
