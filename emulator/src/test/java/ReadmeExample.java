import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.ScratchMemory;
import java.nio.file.Path;

/** Calls functions of the crashed program in the core given as the first argument. */
public class ReadmeExample {
    public static void main(String[] args) throws Exception {
        try (Emulator emu = Emulator.open(Path.of(args[0]), EmulatorOptions.defaults())) {
            // 43: each call starts from the crash image, where counter is 42
            System.out.println(emu.call("next_id").asInt());
            // Memory outside the core's, for arguments: "hello, bob!"
            try (ScratchMemory name = emu.reserve(16)) {
                long text =
                        emu.call("greet", Argument.of(name.writeCString("bob"))).rax();
                System.out.println(emu.readCString(text, 256));
            }
            // 4.5: doubles go in and come out in xmm registers
            System.out.println(
                    emu.call("scale", Argument.of(1.5), Argument.of(3)).xmm0());
            // 2222: gdb's thread 2, with its registers and TLS
            emu.selectThread(1);
            System.out.println(emu.call("get_tls").rax());
            try {
                emu.call("point_sum", Argument.of(0L));
            } catch (CallFailedException e) {
                // SIGSEGV (11): read of unmapped memory at 0x0, ... then backtrace, disassembly, registers
                System.out.println(e.fault().headline());
                System.err.print(e.fault().report());
            }
        }
    }
}
