package dev.isolate.engine.machine;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The C library a shared object was linked against, told from its {@code DT_NEEDED}: glibc's SONAMEs are versioned
 * ({@code libc.so.6}); musl's libc is {@code libc.musl-<arch>.so.1} on Alpine (or its dynamic linker,
 * {@code ld-musl-<arch>.so.1}) and plain {@code libc.so} as musl-gcc links it; Android's Bionic is plain
 * {@code libc.so} too, told apart by Android's own libraries. A library that needs none of them is taken as glibc's,
 * which is what such files nearly always are. The platform token of a musl library is its machine's with
 * {@link #MUSL_SUFFIX} ({@code linux-x86_64-musl}), the loader's token for a process on musl.
 */
public final class CLibrary {
    private CLibrary() {}

    public enum Kind { GLIBC, MUSL, BIONIC }

    /** @param needed the DT_NEEDED entry that shows the kind; null for GLIBC, the default */
    public record Evidence(Kind kind, String needed) {}

    public static final String MUSL_SUFFIX = "-musl";

    private static final Pattern MUSL_RUNTIME = Pattern.compile("libc\\.musl-.*|ld-musl-.*");
    /** C runtime SONAMEs without a version: musl's and Bionic's, never glibc's. */
    private static final Pattern UNVERSIONED_RUNTIME = Pattern.compile("(libc|libm|libpthread|libdl|librt)\\.so");
    /** Libraries only Android has. */
    private static final List<String> ANDROID = List.of("liblog.so", "libandroid.so");

    public static Evidence of(List<String> needed) {
        for (String n : needed) {
            if (MUSL_RUNTIME.matcher(n).matches()) {
                return new Evidence(Kind.MUSL, n);
            }
        }
        String unversioned = needed.contains("libc.so") ? "libc.so"
                : needed.stream().filter(n -> UNVERSIONED_RUNTIME.matcher(n).matches()).findFirst().orElse(null);
        if (unversioned == null) {
            return new Evidence(Kind.GLIBC, null);
        }
        return new Evidence(needed.stream().anyMatch(ANDROID::contains) ? Kind.BIONIC : Kind.MUSL, unversioned);
    }

    /** {@code linux-x86_64}, or {@code linux-x86_64-musl} for a library that needs musl's libc. */
    public static String platform(Machine m, List<String> needed) {
        return m.platform() + (of(needed).kind() == Kind.MUSL ? MUSL_SUFFIX : "");
    }
}
