package dev.isolate.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architectures the tests build fixtures for and run outputs on: the host's x86_64, and aarch64
 * cross-built with Debian's {@code gcc-aarch64-linux-gnu} and run under {@code qemu-aarch64} against the
 * cross glibc in {@code /usr/aarch64-linux-gnu} (Debian {@code libc6-arm64-cross}).
 */
public enum Target {
    X86_64("x86_64", "", 0x1000, "linux-x86_64"),
    AARCH64("aarch64", "aarch64-linux-gnu-", 0x10000, "linux-aarch_64");

    /** Where Debian's cross packages install the aarch64 glibc, libgcc and libstdc++: qemu's {@code -L}. */
    public static final String AARCH64_SYSROOT = "/usr/aarch64-linux-gnu";

    /** The Makefile's {@code ARCH}, and the engine's name for the machine. */
    public final String arch;
    /** The binutils/gcc prefix ({@code aarch64-linux-gnu-}); empty for the host. */
    public final String cross;
    /** The largest page size the target's kernels use: what every output must respect. */
    public final long pageSize;
    /** The os-maven-plugin classifier. */
    public final String platform;

    Target(String arch, String cross, long pageSize, String platform) {
        this.arch = arch;
        this.cross = cross;
        this.pageSize = pageSize;
        this.platform = platform;
    }

    /** {@code gcc}, {@code strip}, {@code objcopy}, ... of this target's toolchain. */
    public String tool(String name) {
        return cross + name;
    }

    /** Skips (locally) or fails (CI) unless this target's compilers, and for aarch64 qemu and the cross glibc, are here. */
    public void requireToolchain() {
        Tools.require(tool("gcc"), tool("g++"), tool("strip"), tool("objcopy"));
        if (this == AARCH64) {
            Tools.require("qemu-aarch64");
            Tools.requireFile(Path.of(AARCH64_SYSROOT, "lib", "ld-linux-aarch64.so.1"), "libc6-arm64-cross");
        }
    }

    /**
     * The command that runs a program built for this target: itself on the host; under qemu-user for
     * aarch64, with {@code LD_BIND_NOW=1} so every PLT slot of every loaded object is bound at load.
     */
    public List<String> command(Path program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (this == AARCH64) {
            cmd.addAll(List.of("qemu-aarch64", "-L", AARCH64_SYSROOT, "-E", "LD_BIND_NOW=1"));
        }
        cmd.add(program.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** This target's C fixtures (built once per JVM). */
    public Path fixtures() {
        return Tools.fixtures(this);
    }

    @Override
    public String toString() {
        return arch;
    }
}
