package io.coredumptools.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/** Reading and making test files. */
final class TestFiles {
    private TestFiles() {}

    /** Ensures and reads {@code [offset, offset+length)} through the LazyFile's local path, as elfcore will. */
    static byte[] read(LazyFile file, long offset, int length) throws IOException, StorageException {
        file.ensure(offset, length);
        return readLocal(file.localPath(), offset, length);
    }

    static byte[] readLocal(Path path, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) break;
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    /** Random bytes, reproducible from the seed. */
    static Path randomFile(Path path, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] bytes = new byte[(int) size];
        random.nextBytes(bytes);
        Files.createDirectories(path.getParent());
        return Files.write(path, bytes);
    }

    /** Bytes of the disk blocks a file really uses (sparse files use fewer than their size). */
    static long allocatedBytes(Path path) throws IOException {
        Object blocks = Files.getAttribute(path, "unix:size"); // touch the view so a missing one fails loudly
        var result = io.coredumptools.testkit.ExternalCommand.runChecked(
                java.util.List.of("stat", "--format=%b %B", path.toString()));
        String[] parts = result.stdout().trim().split(" ");
        return blocks == null ? -1 : Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
