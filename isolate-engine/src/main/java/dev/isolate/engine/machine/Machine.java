package dev.isolate.engine.machine;

import dev.isolate.engine.stubs.StubEmitter;
import dev.isolate.engine.stubs.X86_64StubEmitter;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Everything that differs between target architectures, in one place: the ELF machine number, the
 * largest page size the target's kernels may use (the alignment a new segment needs), the platform
 * classifier used in jars, whether {@code .hash} has 4-byte entries (all supported targets do;
 * s390x and alpha use 8 and are refused), and the code of the stubs for native consumers.
 */
public enum Machine {
    X86_64(62, "x86_64", "linux-x86_64", 0x1000) {
        @Override
        public StubEmitter stubEmitter() {
            return X86_64StubEmitter.INSTANCE;
        }
    };

    private final int eMachine;
    private final String elfName;
    private final String platform;
    private final long maxPageSize;

    Machine(int eMachine, String elfName, String platform, long maxPageSize) {
        this.eMachine = eMachine;
        this.elfName = elfName;
        this.platform = platform;
        this.maxPageSize = maxPageSize;
    }

    public int eMachine() {
        return eMachine;
    }

    /** The os-maven-plugin classifier ({@code linux-x86_64}, {@code linux-aarch_64}). */
    public String platform() {
        return platform;
    }

    /** The largest page size of the target; a new PT_LOAD is aligned to at least this. */
    public long maxPageSize() {
        return maxPageSize;
    }

    /** What goes into this target's stub objects ({@code libN_stubs.a}). */
    public abstract StubEmitter stubEmitter();

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
