package dev.isolate.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The platform token a bundle is stored under ({@code native/<token>/}): os-maven-plugin's classifier names
 * ({@code linux-x86_64}, {@code linux-aarch_64}), with {@code -musl} appended when the process runs on musl libc,
 * whose libraries cannot be loaded into a glibc process and the reverse.
 */
public final class Platform {
    private Platform() {}

    /** Overrides detection, for a platform this class does not know or a libc it cannot tell. */
    public static final String PROPERTY = "isolate.native.platform";

    /** The tokens the isolate plugin writes. */
    public static final List<String> KNOWN = List.of("linux-x86_64", "linux-aarch_64", "linux-x86_64-musl", "linux-aarch_64-musl");

    private static volatile String detected;

    /** The token of this process, detected once: {@code os.name}, {@code os.arch} and the JVM's program interpreter. */
    public static String current() {
        String p = detected;
        if (p == null) {
            p = of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), isMusl(Path.of("/proc/self/exe")));
            detected = p;
        }
        return p;
    }

    /** A description of what detection saw, for error messages. */
    static String describe() {
        return "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch");
    }

    /**
     * Maps {@code os.name}/{@code os.arch} the way os-maven-plugin does (the JVM says {@code amd64} where the
     * plugin says {@code x86_64}, {@code aarch64} where it says {@code aarch_64}).
     */
    static String of(String osName, String osArch, boolean musl) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (!os.startsWith("linux") || arch == null) {
            throw new NativeLoadError("isolate-loader: unsupported platform os.name=" + osName + ", os.arch=" + osArch
                    + " (bundles exist for " + String.join(", ", KNOWN) + "); set -D" + PROPERTY
                    + "=TOKEN to load the bundle under native/TOKEN/ anyway");
        }
        return "linux-" + arch + (musl ? "-musl" : "");
    }

    /**
     * True when {@code exe}'s {@code PT_INTERP} names musl's dynamic linker ({@code /lib/ld-musl-x86_64.so.1}); glibc's
     * is {@code ld-linux-*.so.2}. Asking the running executable is reliable where looking for files is not: a glibc
     * system may have musl installed, and an Alpine container may carry glibc compatibility files. When the
     * executable cannot be read (no /proc), glibc is assumed; {@link #PROPERTY} overrides.
     */
    static boolean isMusl(Path exe) {
        try {
            Optional<String> interp = ElfInterp.read(exe);
            return interp.isPresent() && Path.of(interp.get()).getFileName().toString().startsWith("ld-musl-");
        } catch (IOException e) {
            return false;
        }
    }
}
