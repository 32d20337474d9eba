package dev.isolate.engine.machine;

import dev.isolate.engine.stubs.Aarch64StubEmitter;
import dev.isolate.engine.stubs.StubEmitter;
import dev.isolate.engine.stubs.X86_64StubEmitter;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Everything that differs between target architectures, in one place: the ELF machine number, the
 * largest page size the target's kernels may use (the alignment a new segment needs), the platform
 * classifier used in jars, the dynamic relocation types the engine names or checks, and the code of the
 * stubs for native consumers ({@link StubEmitter}). Both targets
 * have 4-byte {@code .hash} entries (s390x and alpha use 8 and are refused with every other machine).
 *
 * <p>The page size is the target's, never the host's: a library for aarch64 is rewritten on x86_64
 * build machines. aarch64 kernels run with 4, 16 or 64 KiB pages (RHEL, Oracle Linux and some Ubuntu
 * server kernels use 64 KiB), and GNU ld and lld both default to {@code -z max-page-size=0x10000} there, so
 * the new segment is aligned to 64 KiB: with 4 KiB it would share a 64 KiB page with the data segment.
 */
public enum Machine {
    X86_64(62, "x86_64", "linux-x86_64", 0x1000, RelocationTypes.X86_64, X86_64StubEmitter.INSTANCE),
    AARCH64(183, "aarch64", "linux-aarch_64", 0x10000, RelocationTypes.AARCH64, Aarch64StubEmitter.INSTANCE);

    private final int eMachine;
    private final String elfName;
    private final String platform;
    private final long maxPageSize;
    private final RelocationTypes relocations;
    private final StubEmitter stubEmitter;

    Machine(int eMachine, String elfName, String platform, long maxPageSize, RelocationTypes relocations,
            StubEmitter stubEmitter) {
        this.eMachine = eMachine;
        this.elfName = elfName;
        this.platform = platform;
        this.maxPageSize = maxPageSize;
        this.relocations = relocations;
        this.stubEmitter = stubEmitter;
    }

    /** What goes into this target's stub objects ({@code libN_stubs.a}). */
    public StubEmitter stubEmitter() {
        return stubEmitter;
    }

    public int eMachine() {
        return eMachine;
    }

    /** The name binutils and Debian use for the architecture ({@code x86_64}, {@code aarch64}). */
    public String elfName() {
        return elfName;
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

    public static String supportedNames() {
        return Arrays.stream(values()).map(m -> m.elfName + " (" + m.eMachine + ")").collect(Collectors.joining(", "));
    }
}
