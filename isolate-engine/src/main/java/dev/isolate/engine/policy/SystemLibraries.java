package dev.isolate.engine.policy;

import java.util.List;
import java.util.Set;

/**
 * Libraries every Linux process gets from the system (the C runtime, the compiler runtimes, the JVM's own):
 * a bundle member may need them without bundling them. Anything else it needs from outside the bundle is
 * worth a warning: that is exactly a copy that may clash with another in the process.
 */
final class SystemLibraries {
    private SystemLibraries() {}

    private static final Set<String> NAMES = Set.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
            "librt.so.1", "libutil.so.1", "libresolv.so.2", "libanl.so.1", "libcrypt.so.1", "libmvec.so.1",
            "libgcc_s.so.1", "libstdc++.so.6", "libatomic.so.1", "libgomp.so.1", "libjvm.so", "libjava.so",
            "libjawt.so", "libverify.so",
            "libc.so"); // musl's libc as musl-gcc links it (Alpine's own packages need libc.musl-<arch>.so.1)

    /** Dynamic loaders: glibc's ld-linux-*.so.N, ld64.so.N, and musl's libc. */
    private static final List<Glob> PATTERNS = List.of(new Glob("ld-linux*.so.*"), new Glob("ld64.so.*"),
            new Glob("ld-musl-*.so.*"), new Glob("libc.musl-*.so.*"));

    static boolean isSystem(String soname) {
        return NAMES.contains(soname) || PATTERNS.stream().anyMatch(g -> g.matches(soname));
    }
}
