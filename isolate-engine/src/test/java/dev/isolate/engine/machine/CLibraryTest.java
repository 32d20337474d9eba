package dev.isolate.engine.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The C library from DT_NEEDED, as real libraries name it (Alpine, musl-gcc, Android, glibc, none). */
class CLibraryTest {
    private static String of(String... needed) {
        CLibrary.Evidence e = CLibrary.of(List.of(needed));
        return e.kind() + (e.needed() == null ? "" : " " + e.needed());
    }

    @Test
    void muslBionicAndGlibcAreToldApart() {
        assertEquals("MUSL libc.musl-x86_64.so.1", of("libstdc++.so.6", "libgcc_s.so.1", "libc.musl-x86_64.so.1")); // rocksdbjni
        assertEquals("MUSL libc.so", of("libc.so")); // musl-gcc, sqlite-jdbc's Linux-Musl/aarch64
        assertEquals("MUSL ld-musl-aarch64.so.1", of("ld-musl-aarch64.so.1"));
        assertEquals("MUSL libm.so", of("libm.so"));
        assertEquals("BIONIC libc.so", of("libm.so", "libc.so", "liblog.so"));
        assertEquals("GLIBC", of("libz.so.1", "libc.so.6"));
        assertEquals("GLIBC", of());
    }

    @Test
    void theMuslPlatformIsTheMachinesWithASuffix() {
        assertEquals("linux-x86_64-musl", CLibrary.platform(Machine.X86_64, List.of("libc.musl-x86_64.so.1")));
        assertEquals("linux-aarch_64-musl", CLibrary.platform(Machine.AARCH64, List.of("libc.so")));
        assertEquals("linux-x86_64", CLibrary.platform(Machine.X86_64, List.of("libc.so.6")));
        assertEquals("linux-aarch_64", CLibrary.platform(Machine.AARCH64, List.of("libc.so", "libandroid.so")));
    }
}
