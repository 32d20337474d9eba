package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
    @ParameterizedTest
    @CsvSource({"Linux, amd64, false, linux-x86_64", "Linux, x86_64, false, linux-x86_64", "Linux, aarch64, false, linux-aarch_64",
        "Linux, amd64, true, linux-x86_64-musl", "Linux, aarch64, true, linux-aarch_64-musl", "LINUX, AMD64, false, linux-x86_64"})
    void mapsLikeOsMavenPlugin(String os, String arch, boolean musl, String token) {
        assertEquals(token, Platform.of(os, arch, musl));
    }

    @ParameterizedTest
    @CsvSource({"Mac OS X, aarch64", "Windows 11, amd64", "Linux, ppc64le", "Linux, riscv64", "Linux, x86", "FreeBSD, amd64"})
    void refusesWhatThePluginDoesNotBuild(String os, String arch) {
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> Platform.of(os, arch, false));
        assertEquals("isolate-loader: unsupported platform os.name=" + os + ", os.arch=" + arch + " (bundles exist for linux-x86_64,"
                + " linux-aarch_64, linux-x86_64-musl, linux-aarch_64-musl); set -Disolate.native.platform=TOKEN to load the bundle"
                + " under native/TOKEN/ anyway", e.getMessage());
    }

    @Test
    void thisJvmIsGlibc() throws IOException {
        // Debian's java launcher asks for glibc's dynamic linker.
        String interp = ElfInterp.read(Path.of("/proc/self/exe")).orElseThrow();
        assertTrue(interp.matches("/lib(64)?/ld-linux-.*\\.so\\.2"), interp);
        assertFalse(Platform.isMusl(Path.of("/proc/self/exe")));
        assertEquals(Platform.of(System.getProperty("os.name"), System.getProperty("os.arch"), false), Platform.current());
    }

    @Test
    void anExecutableAskingForMuslIsMusl() throws IOException {
        Tools.require("gcc");
        Path dir = Tools.freshWork("interp");
        Path src = Path.of(System.getProperty("isolate.fixtures.src", "src/test/c"), "interp.c").toAbsolutePath();
        Path musl = dir.resolve("musl-interp");
        Tools.run("gcc", "-O2", "-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1", "-o", musl.toString(), src.toString()).ok();
        assertEquals(Optional.of("/lib/ld-musl-x86_64.so.1"), ElfInterp.read(musl));
        assertTrue(Platform.isMusl(musl));

        Path glibc = dir.resolve("glibc-interp");
        Tools.run("gcc", "-O2", "-o", glibc.toString(), src.toString()).ok();
        assertFalse(Platform.isMusl(glibc));

        Path statik = dir.resolve("static");
        Tools.run("gcc", "-O2", "-static", "-o", statik.toString(), src.toString()).ok();
        assertEquals(Optional.empty(), ElfInterp.read(statik), "a static executable has no PT_INTERP");
        assertFalse(Platform.isMusl(statik));
    }

    @Test
    void malformedExecutablesAreNotMusl() throws IOException {
        Path dir = Tools.freshWork("interp-bad");
        Path notElf = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        IOException e = assertThrows(IOException.class, () -> ElfInterp.read(notElf));
        assertTrue(e.getMessage().endsWith(": 16 bytes at offset 0 run past the end (10 bytes)"), e.getMessage());
        assertFalse(Platform.isMusl(notElf));

        // A real header whose program header table runs past the end of the file.
        byte[] exe = Files.readAllBytes(Path.of("/proc/self/exe"));
        Path cut = Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(exe, 80));
        e = assertThrows(IOException.class, () -> ElfInterp.read(cut));
        assertTrue(e.getMessage().contains("run past the end (80 bytes)"), e.getMessage());
        assertFalse(Platform.isMusl(cut));
        assertFalse(Platform.isMusl(dir.resolve("missing")));
    }
}
