package io.coredumptools.emulator.memory;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.Resolution;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A fixture core loaded into a fresh engine, with a call helper: a base stack region and a sentinel
 * return address where emulation stops. Function addresses come from {@code nm} on the program plus
 * the executable's load address (elfcore's symbol index is not used here, to keep this test about memory).
 */
final class DemoCore implements AutoCloseable {
    static final long RETURN_SENTINEL = 0x10_0000L;
    private static final long STACK_SIZE = 256 * 1024;

    final CoreFixture fixture;
    final CoreDump core;
    final Unicorn unicorn;
    final MemoryImage image;
    final List<MappedRegion> mappedRegions;
    final long stackTop;

    private DemoCore(CoreFixture fixture, Path corePath, Predicate<String> treatAsMissing) throws Exception {
        this.fixture = fixture;
        this.core = CoreDump.open(corePath, CoreOptions.defaults());
        this.mappedRegions = resolve(core, fixture, treatAsMissing);
        this.unicorn = Unicorn.openX86_64();
        this.image = MemoryImage.load(unicorn, core, mappedRegions);
        long stack = image.findFreeRange(STACK_SIZE);
        image.mapBaseAnonymous(stack, STACK_SIZE, MemoryProtection.READ | MemoryProtection.WRITE);
        this.stackTop = stack + STACK_SIZE;
    }

    static DemoCore open(CoreFixture fixture) throws Exception {
        return new DemoCore(fixture, fixture.core(), path -> false);
    }

    /** Loads the core as if files whose recorded path matches {@code missing} were not on this machine. */
    static DemoCore openWithMissing(CoreFixture fixture, Path corePath, Predicate<String> missing) throws Exception {
        return new DemoCore(fixture, corePath, missing);
    }

    /** A copy of the fixture's core in {@code directory}, cut to {@code length} bytes. */
    static Path truncatedCopy(CoreFixture fixture, Path directory, long length) throws IOException {
        Path copy = fixture.copyOfCore(directory);
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(copy.toFile(), "rw")) {
            file.setLength(length);
        }
        return copy;
    }

    /**
     * The core's resolved regions; while elfcore's resolution is unfinished (an empty list), the
     * recorded paths as they are, with the fixture's program standing in for the executable.
     */
    static List<MappedRegion> resolve(CoreDump core, CoreFixture fixture, Predicate<String> treatAsMissing) {
        List<MappedRegion> resolved = core.mappedRegions();
        if (resolved.isEmpty()) {
            resolved = new ArrayList<>();
            for (FileMapping mapping : core.fileMappings()) {
                Path path = Path.of(mapping.path());
                if (!Files.exists(path)
                        && path.getFileName().equals(fixture.program().getFileName())) {
                    path = fixture.program();
                }
                boolean found = Files.exists(path);
                resolved.add(new MappedRegion(
                        mapping,
                        new ResolvedFile(
                                mapping.path(),
                                found ? Optional.of(path) : Optional.empty(),
                                found ? Resolution.AS_IS : Resolution.MISSING,
                                Optional.empty(),
                                Optional.empty())));
            }
        }
        List<MappedRegion> result = new ArrayList<>();
        for (MappedRegion region : resolved) {
            if (treatAsMissing.test(region.mapping().path())) {
                result.add(new MappedRegion(
                        region.mapping(),
                        new ResolvedFile(
                                region.mapping().path(),
                                Optional.empty(),
                                Resolution.MISSING,
                                Optional.empty(),
                                Optional.empty())));
            } else {
                result.add(region);
            }
        }
        return result;
    }

    /** Mappings of the file whose recorded name ends with {@code suffix}, in address order. */
    List<MappedRegion> mappingsOf(Predicate<String> path) {
        return mappedRegions.stream()
                .filter(r -> path.test(r.mapping().path()))
                .sorted((a, b) ->
                        Long.compareUnsigned(a.mapping().start(), b.mapping().start()))
                .toList();
    }

    boolean isProgram(String recordedPath) {
        return Path.of(recordedPath).getFileName().equals(fixture.program().getFileName());
    }

    /** Run-time address of a symbol of the program (PIE: load base + st_value). */
    long symbol(String name) throws IOException, InterruptedException {
        String output = ExternalCommand.run(
                        List.of("nm", fixture.program().toString()), fixture.directory(), Duration.ofSeconds(60))
                .stdout();
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3 && fields[2].equals(name)) {
                long base = mappingsOf(this::isProgram).get(0).mapping().start();
                return base + Long.parseUnsignedLong(fields[0], 16);
            }
        }
        throw new IllegalStateException(name + " not found by nm in " + fixture.program());
    }

    /** Calls a function with integer arguments (System V: rdi, rsi, rdx...) and returns rax. */
    long call(long function, long... arguments) {
        X86Register[] argumentRegisters = {
            X86Register.RDI, X86Register.RSI, X86Register.RDX, X86Register.RCX, X86Register.R8, X86Register.R9
        };
        for (int i = 0; i < arguments.length; i++) {
            unicorn.writeRegister(argumentRegisters[i], arguments[i]);
        }
        long rsp = PageSize.alignDown(stackTop - 64) - 8;
        image.write(rsp, littleEndian(RETURN_SENTINEL));
        unicorn.writeRegister(X86Register.RSP, rsp);
        unicorn.writeRegister(
                X86Register.FS_BASE, core.threads().get(0).registers().fsBase());
        unicorn.start(function, RETURN_SENTINEL, 5_000_000, 0);
        return unicorn.readRegister(X86Register.RAX);
    }

    static byte[] littleEndian(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }

    static long readLong(byte[] bytes) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    static byte[] fileBytes(Path file, long offset, int length) {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        image.close();
        unicorn.close();
        core.close();
    }
}
