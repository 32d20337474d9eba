package dev.isolate.engine.machine;

import dev.isolate.engine.elf.Elf;
import java.util.Arrays;

/**
 * Everything that differs between target architectures, in one place: the ELF machine number, the
 * largest page size the target's kernels may use (the alignment a new segment needs), the platform
 * classifier used in jars and the dynamic relocation types the engine names or checks (the code of the stubs
 * for native consumers is {@code stubs.StubEmitter}'s). One constant for each machine the ELF reader accepts
 * ({@link Elf#isSupportedMachine}).
 *
 * <p>The page size is the target's, never the host's: a library for aarch64 is rewritten on x86_64
 * build machines. aarch64 kernels run with 4, 16 or 64 KiB pages (RHEL, Oracle Linux and some Ubuntu
 * server kernels use 64 KiB), and GNU ld and lld both default to {@code -z max-page-size=0x10000} there, so
 * the new segment is aligned to 64 KiB: with 4 KiB it would share a 64 KiB page with the data segment.
 */
public enum Machine {
    X86_64(Elf.EM_X86_64, "linux-x86_64", 0x1000, RelocationTypes.X86_64),
    AARCH64(Elf.EM_AARCH64, "linux-aarch_64", 0x10000, RelocationTypes.AARCH64);

    private final int eMachine;
    private final String platform;
    private final long maxPageSize;
    private final RelocationTypes relocations;

    Machine(int eMachine, String platform, long maxPageSize, RelocationTypes relocations) {
        this.eMachine = eMachine;
        this.platform = platform;
        this.maxPageSize = maxPageSize;
        this.relocations = relocations;
    }

    public int eMachine() {
        return eMachine;
    }

    /** The name binutils and Debian use for the architecture ({@code x86_64}, {@code aarch64}). */
    public String elfName() {
        return Elf.machineName(eMachine);
    }

    /** The os-maven-plugin classifier ({@code linux-x86_64}, {@code linux-aarch_64}). */
    public String platform() {
        return platform;
    }

    /** The largest page size of the target; a new PT_LOAD is aligned to at least this. */
    public long maxPageSize() {
        return maxPageSize;
    }

    /** The target's dynamic relocation types: R_*_RELATIVE for the DT_RELACOUNT check, names for messages. */
    public RelocationTypes relocations() {
        return relocations;
    }

    public static boolean isSupported(int eMachine) {
        return Arrays.stream(values()).anyMatch(m -> m.eMachine == eMachine);
    }

    public static Machine of(int eMachine) {
        for (Machine m : values()) {
            if (m.eMachine == eMachine) {
                return m;
            }
        }
        throw new IllegalArgumentException("unsupported e_machine " + eMachine);
    }
}
