package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read by a thread whose interrupt flag is set neither fails nor closes the file for everybody else (a FileChannel
 * closes itself on such a read, and every session of a core reads through the same one).
 */
class FileBytesInterruptTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptedThreadsReadLeavesTheSharedFileOpen() throws Exception {
        Path file = dir.resolve("data");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (FileBytes bytes = FileBytes.open(file)) {
            Thread.currentThread().interrupt();
            ByteBuffer first;
            try {
                first = bytes.readAvailable(0, 4, "the first half");
            } finally {
                assertThat(Thread.interrupted())
                        .as("the flag is set again after the read")
                        .isTrue();
            }
            assertThat(first.get(0)).isEqualTo((byte) 1);
            // Another reader (another session) afterwards: the channel is still open.
            ByteBuffer second = bytes.readAvailable(4, 4, "the second half");
            assertThat(second.get(0)).isEqualTo((byte) 5);
        }
    }
}
