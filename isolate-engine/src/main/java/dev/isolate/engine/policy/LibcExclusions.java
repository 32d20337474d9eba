package dev.isolate.engine.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * C runtime names that are never renamed, even when a library defines them itself: the process must keep
 * one copy of each. A library's own {@code strdup} or {@code __isnan} is there to stand in for libc's where
 * libc lacks it (netty-tcnative's weak {@code __strdup} is a {@code jmp .}, meant never to run); renamed,
 * the isolated copy binds its calls to it and no longer to libc's.
 *
 * <p>The names: every export of the C runtime libraries of each supported target, read from the Debian
 * packages by {@code src/main/scripts/gen-c-runtime-names.sh} into {@code c-runtime-names.txt} beside this
 * class (glibc's libc, libm, libpthread, libdl, librt, libutil, libresolv, libanl, libmvec and ld.so, and
 * libgcc_s, for x86_64 and aarch64; musl's libc), but not those that exist only as hidden compatibility
 * symbols ({@code xdr_int@GLIBC_2.2.5}): ld.so never binds a new reference to one, so a library's own
 * {@code xdr_int} (libtirpc's) is its own and renamed like its other exports. Plus globs for the families the compiler runtimes and
 * libstdc++ add to ({@code __cxa_*}, {@code _Unwind_*}, sanitizers), and two names crtstuff and the linker
 * provide that no runtime library exports.
 */
public final class LibcExclusions {
    private LibcExclusions() {}

    static final String RESOURCE = "c-runtime-names.txt";

    /** Defined by crtstuff / the linker in every object, exported by none of the libraries read. */
    static final Set<String> EXTRA = Set.of("__dso_handle", "__gmon_start__");

    static final List<String> GLOBS = List.of("__cxa_*", "__gcc_*", "__gxx_*", "_Unwind_*", "__libc_*", "__stack_chk_*",
            "pthread_*", "__pthread_*", "_ITM_*", "_IO_*", "__assert*", "__ctype_*", "__register_frame*",
            "__deregister_frame*", "__isoc99_*", "__*_chk", "__sanitizer_*", "__asan_*", "__ubsan_*", "__tsan_*",
            "__msan_*", "__lsan_*");

    /** The generated names plus {@link #EXTRA}; read once (4.0k names, a HashSet lookup per export). */
    static final Set<String> NAMES = load();

    /**
     * The longest of them (48): a longer name is not hashed at all. Most of libLLVM's 45k C++ names are longer,
     * and hashing each one cost more than the whole trie walk did.
     */
    private static final int LONGEST = NAMES.stream().mapToInt(String::length).max().orElse(0);

    /** The globs alone: the exact names are a hash lookup, not trie entries. */
    private static final GlobSet MATCHER = new GlobSet(GLOBS);

    public static boolean matches(String name) {
        return (name.length() <= LONGEST && NAMES.contains(name)) || MATCHER.matches(name);
    }

    private static Set<String> load() {
        Set<String> names = new HashSet<>(8192);
        try (InputStream in = LibcExclusions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the isolate-engine jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty() && line.charAt(0) != '#') {
                    names.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " from the isolate-engine jar", e);
        }
        names.addAll(EXTRA);
        return Set.copyOf(names);
    }
}
