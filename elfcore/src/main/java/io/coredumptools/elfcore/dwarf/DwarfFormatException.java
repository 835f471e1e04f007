package io.coredumptools.elfcore.dwarf;

import io.coredumptools.elfcore.CoreFormatException;
import java.nio.file.Path;

/**
 * The DWARF of a file cannot be read: it is truncated, corrupt, or uses a form this reader does not
 * support. The message names the file, the section and the offset, and what is wrong.
 */
public class DwarfFormatException extends CoreFormatException {

    public DwarfFormatException(Path file, String problem) {
        super(file, problem);
    }

    public DwarfFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
