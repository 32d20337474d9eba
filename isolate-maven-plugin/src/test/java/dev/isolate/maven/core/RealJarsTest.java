package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The selection with no {@code <includes>} over published JNI jars from Maven Central (test dependencies
 * of this module), every native entry of each: which are taken for linux-x86_64 and linux-aarch_64, and
 * why each other one is skipped. What the files really show (readelf -h -n -d), beyond their folder names:
 * <ul>
 * <li>zstd-jni {@code freebsd/amd64}: EI_OSABI 9 (FreeBSD), no note; {@code linux/mips64} is ELF32 big-endian.
 * <li>sqlite-jdbc {@code FreeBSD/aarch64}: EI_OSABI 0 and no note, but DT_NEEDED libc.so.7 and FBSD_1.0
 *     versions; {@code Linux-Musl/x86_64} needs libc.musl-x86_64.so.1, {@code Linux-Musl/aarch64} plain
 *     libc.so; {@code Linux-Android/*} carry a {@code .note.android.ident} note (owner "Android").
 * <li>snappy-java {@code SunOS/x86_64}: EI_OSABI 0, no note, needs libstdc++.so.6 and libm.so.2 (Solaris's libm).
 * <li>JNA {@code dragonflybsd-x86-64}: EI_OSABI 0, only a gold-version note, needs libc.so.8;
 *     {@code freebsd-aarch64}: EI_OSABI 0 with a FreeBSD {@code .note.tag}.
 * </ul>
 * None of these libraries carries an NT_GNU_ABI_TAG; LibraryPlatformTest covers it.
 */
class RealJarsTest {
    @TempDir
    Path tmp;

    /** The jar a class comes from (loaded without initialising it: nothing native runs). */
    private static Path jarOf(String className) throws Exception {
        Class<?> c = Class.forName(className, false, RealJarsTest.class.getClassLoader());
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A jar of the test class path by its file name: for jars that hold natives and no class. */
    private static Path jarNamed(String jarName) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().equals(jarName)).findFirst().orElseThrow(() -> new AssertionError(jarName
                        + " is not on the test class path"));
    }

    private void assertSelection(String className, String jarName, String expected) throws Exception {
        assertSelection(jarOf(className), jarName, expected);
    }

    private void assertSelection(Path jar, String jarName, String expected) throws Exception {
        assertEquals(jarName, jar.getFileName().toString());
        Path into = tmp.resolve(jarName);
        ArchiveEntries.Selection s = ArchiveEntries.select(jar, List.of(), into);
        assertEquals(expected, String.join("\n", s.report()) + "\n");
        assertEquals(List.of(), s.warnings());
        // Each taken entry is in its platform's folder under its own file name, byte for byte.
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ArchiveEntries.Taken t : s.taken()) {
                String file = t.entry().substring(t.entry().lastIndexOf('/') + 1);
                assertEquals(into.resolve(t.platform()).resolve(file), t.file());
                assertArrayEquals(zip.getInputStream(zip.getEntry(t.entry())).readAllBytes(), Files.readAllBytes(t.file()), t.entry());
            }
        }
    }

    @Test
    void zstdJni() throws Exception {
        assertSelection("com.github.luben.zstd.Zstd", "zstd-jni-1.5.7-21.jar", """
                skipped aix/ppc64/libzstd-jni-1.5.7-21.so: XCOFF32 (AIX): not ELF
                skipped darwin/aarch64/libzstd-jni-1.5.7-21.dylib: Mach-O arm64 (macOS): not ELF
                skipped darwin/x86_64/libzstd-jni-1.5.7-21.dylib: Mach-O x86_64 (macOS): not ELF
                skipped freebsd/amd64/libzstd-jni-1.5.7-21.so: ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9): not for Linux
                skipped freebsd/i386/libzstd-jni-1.5.7-21.so: ELF32 i386 shared object: not a packaged machine
                taken   linux/aarch64/libzstd-jni-1.5.7-21.so -> linux-aarch_64 (ELF64 AArch64 shared object)
                taken   linux/amd64/libzstd-jni-1.5.7-21.so -> linux-x86_64 (ELF64 x86-64 shared object)
                skipped linux/arm/libzstd-jni-1.5.7-21.so: ELF32 ARM shared object: not a packaged machine
                skipped linux/i386/libzstd-jni-1.5.7-21.so: ELF32 i386 shared object: not a packaged machine
                skipped linux/loongarch64/libzstd-jni-1.5.7-21.so: ELF64 LoongArch shared object: not a packaged machine
                skipped linux/mips64/libzstd-jni-1.5.7-21.so: ELF32 big-endian MIPS shared object: not a packaged machine
                skipped linux/ppc64/libzstd-jni-1.5.7-21.so: ELF64 big-endian PowerPC64 shared object: not a packaged machine
                skipped linux/ppc64le/libzstd-jni-1.5.7-21.so: ELF64 PowerPC64 shared object: not a packaged machine
                skipped linux/riscv64/libzstd-jni-1.5.7-21.so: ELF64 RISC-V shared object: not a packaged machine
                skipped linux/s390x/libzstd-jni-1.5.7-21.so: ELF64 big-endian S/390 shared object: not a packaged machine
                skipped win/aarch64/libzstd-jni-1.5.7-21.dll: PE ARM64 (Windows): not ELF
                skipped win/amd64/libzstd-jni-1.5.7-21.dll: PE x86-64 (Windows): not ELF
                skipped win/x86/libzstd-jni-1.5.7-21.dll: PE i386 (Windows): not ELF
                """);
    }

    @Test
    void sqliteJdbc() throws Exception {
        assertSelection("org.sqlite.JDBC", "sqlite-jdbc-3.51.1.0.jar", """
                skipped org/sqlite/native/FreeBSD/aarch64/libsqlitejdbc.so: ELF64 AArch64 shared object for FreeBSD (DT_NEEDED libc.so.7): not for Linux
                skipped org/sqlite/native/FreeBSD/x86/libsqlitejdbc.so: ELF32 i386 shared object: not a packaged machine
                skipped org/sqlite/native/FreeBSD/x86_64/libsqlitejdbc.so: ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9): not for Linux
                skipped org/sqlite/native/Linux-Android/aarch64/libsqlitejdbc.so: ELF64 AArch64 shared object for Android (Android note): not for Linux
                skipped org/sqlite/native/Linux-Android/arm/libsqlitejdbc.so: ELF32 ARM shared object: not a packaged machine
                skipped org/sqlite/native/Linux-Android/x86/libsqlitejdbc.so: ELF32 i386 shared object: not a packaged machine
                skipped org/sqlite/native/Linux-Android/x86_64/libsqlitejdbc.so: ELF64 x86-64 shared object for Android (Android note): not for Linux
                taken   org/sqlite/native/Linux-Musl/aarch64/libsqlitejdbc.so -> linux-aarch_64-musl (ELF64 AArch64 shared object for Linux with musl libc (DT_NEEDED libc.so))
                skipped org/sqlite/native/Linux-Musl/x86/libsqlitejdbc.so: ELF32 i386 shared object: not a packaged machine
                taken   org/sqlite/native/Linux-Musl/x86_64/libsqlitejdbc.so -> linux-x86_64-musl (ELF64 x86-64 shared object for Linux with musl libc (DT_NEEDED libc.musl-x86_64.so.1))
                taken   org/sqlite/native/Linux/aarch64/libsqlitejdbc.so -> linux-aarch_64 (ELF64 AArch64 shared object)
                skipped org/sqlite/native/Linux/arm/libsqlitejdbc.so: ELF32 ARM shared object: not a packaged machine
                skipped org/sqlite/native/Linux/armv6/libsqlitejdbc.so: ELF32 ARM shared object: not a packaged machine
                skipped org/sqlite/native/Linux/armv7/libsqlitejdbc.so: ELF32 ARM shared object: not a packaged machine
                skipped org/sqlite/native/Linux/ppc64/libsqlitejdbc.so: ELF64 PowerPC64 shared object: not a packaged machine
                skipped org/sqlite/native/Linux/riscv64/libsqlitejdbc.so: ELF64 RISC-V shared object: not a packaged machine
                skipped org/sqlite/native/Linux/x86/libsqlitejdbc.so: ELF32 i386 shared object: not a packaged machine
                taken   org/sqlite/native/Linux/x86_64/libsqlitejdbc.so -> linux-x86_64 (ELF64 x86-64 shared object)
                skipped org/sqlite/native/Mac/aarch64/libsqlitejdbc.dylib: Mach-O arm64 (macOS): not ELF
                skipped org/sqlite/native/Mac/x86_64/libsqlitejdbc.dylib: Mach-O x86_64 (macOS): not ELF
                skipped org/sqlite/native/Windows/aarch64/sqlitejdbc.dll: PE ARM64 (Windows): not ELF
                skipped org/sqlite/native/Windows/armv7/sqlitejdbc.dll: PE ARMv7 Thumb (Windows): not ELF
                skipped org/sqlite/native/Windows/x86/sqlitejdbc.dll: PE i386 (Windows): not ELF
                skipped org/sqlite/native/Windows/x86_64/sqlitejdbc.dll: PE x86-64 (Windows): not ELF
                """);
    }

    /** Alpine builds, named by their folder-less file names only; the musl ones of packaged machines are taken. */
    @Test
    void rocksdbjniMusl() throws Exception {
        assertSelection(jarNamed("rocksdbjni-10.10.1.1-linux64-musl.jar"), "rocksdbjni-10.10.1.1-linux64-musl.jar", """
                taken   librocksdbjni-linux-aarch64-musl.so -> linux-aarch_64-musl (ELF64 AArch64 shared object for Linux with musl libc (DT_NEEDED libc.musl-aarch64.so.1))
                skipped librocksdbjni-linux-ppc64le-musl.so: ELF64 PowerPC64 shared object: not a packaged machine
                skipped librocksdbjni-linux-riscv64-musl.so: ELF64 RISC-V shared object: not a packaged machine
                skipped librocksdbjni-linux-s390x-musl.so: ELF64 big-endian S/390 shared object: not a packaged machine
                taken   librocksdbjni-linux64-musl.so -> linux-x86_64-musl (ELF64 x86-64 shared object for Linux with musl libc (DT_NEEDED libc.musl-x86_64.so.1))
                """);
    }

    @Test
    void snappyJava() throws Exception {
        assertSelection("org.xerial.snappy.Snappy", "snappy-java-1.1.10.7.jar", """
                skipped org/xerial/snappy/native/AIX/ppc/libsnappyjava.a: XCOFF32 (AIX): not ELF
                skipped org/xerial/snappy/native/AIX/ppc64/libsnappyjava.a: XCOFF64 (AIX): not ELF
                skipped org/xerial/snappy/native/FreeBSD/x86/libsnappyjava.so: ELF32 i386 shared object: not a packaged machine
                skipped org/xerial/snappy/native/FreeBSD/x86_64/libsnappyjava.so: ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9): not for Linux
                taken   org/xerial/snappy/native/Linux/aarch64/libsnappyjava.so -> linux-aarch_64 (ELF64 AArch64 shared object)
                skipped org/xerial/snappy/native/Linux/android-aarch64/libsnappyjava.so: ELF64 AArch64 shared object for Android (Android note): not for Linux
                skipped org/xerial/snappy/native/Linux/android-arm/libsnappyjava.so: ELF32 ARM shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/arm/libsnappyjava.so: ELF32 ARM shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/armv6/libsnappyjava.so: ELF32 ARM shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/armv7/libsnappyjava.so: ELF32 ARM shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/loongarch64/libsnappyjava.so: ELF64 LoongArch shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/ppc/libsnappyjava.so: ELF32 big-endian PowerPC shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/ppc64/libsnappyjava.so: ELF64 big-endian PowerPC64 shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/ppc64le/libsnappyjava.so: ELF64 PowerPC64 shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/riscv64/libsnappyjava.so: ELF64 RISC-V shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/s390x/libsnappyjava.so: ELF64 big-endian S/390 shared object: not a packaged machine
                skipped org/xerial/snappy/native/Linux/x86/libsnappyjava.so: ELF32 i386 shared object: not a packaged machine
                taken   org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so -> linux-x86_64 (ELF64 x86-64 shared object)
                skipped org/xerial/snappy/native/Mac/aarch64/libsnappyjava.dylib: Mach-O arm64 (macOS): not ELF
                skipped org/xerial/snappy/native/Mac/x86/libsnappyjava.jnilib: Mach-O i386 (macOS): not ELF
                skipped org/xerial/snappy/native/Mac/x86_64/libsnappyjava.dylib: Mach-O x86_64 (macOS): not ELF
                skipped org/xerial/snappy/native/SunOS/sparc/libsnappyjava.so: ELF32 big-endian SPARC32PLUS shared object: not a packaged machine
                skipped org/xerial/snappy/native/SunOS/x86/libsnappyjava.so: ELF32 i386 shared object: not a packaged machine
                skipped org/xerial/snappy/native/SunOS/x86_64/libsnappyjava.so: ELF64 x86-64 shared object for Solaris (DT_NEEDED libm.so.2): not for Linux
                skipped org/xerial/snappy/native/Windows/aarch64/snappyjava.dll: PE ARM64 (Windows): not ELF
                skipped org/xerial/snappy/native/Windows/x86/snappyjava.dll: PE i386 (Windows): not ELF
                skipped org/xerial/snappy/native/Windows/x86_64/snappyjava.dll: PE x86-64 (Windows): not ELF
                """);
    }

    @Test
    void lz4Java() throws Exception {
        assertSelection("net.jpountz.lz4.LZ4Factory", "lz4-java-1.14.1.jar", """
                skipped net/jpountz/util/darwin/aarch64/liblz4-java.dylib: Mach-O arm64 (macOS): not ELF
                skipped net/jpountz/util/darwin/x86_64/liblz4-java.dylib: Mach-O x86_64 (macOS): not ELF
                taken   net/jpountz/util/linux/aarch64/liblz4-java.so -> linux-aarch_64 (ELF64 AArch64 shared object)
                taken   net/jpountz/util/linux/amd64/liblz4-java.so -> linux-x86_64 (ELF64 x86-64 shared object)
                skipped net/jpountz/util/linux/i386/liblz4-java.so: ELF32 i386 shared object: not a packaged machine
                skipped net/jpountz/util/linux/ppc64le/liblz4-java.so: ELF64 PowerPC64 shared object: not a packaged machine
                skipped net/jpountz/util/linux/riscv64/liblz4-java.so: ELF64 RISC-V shared object: not a packaged machine
                skipped net/jpountz/util/linux/s390x/liblz4-java.so: ELF64 big-endian S/390 shared object: not a packaged machine
                skipped net/jpountz/util/windows/amd64/liblz4-java.dll: PE x86-64 (Windows): not ELF
                """);
    }

    @Test
    void jna() throws Exception {
        assertSelection("com.sun.jna.Native", "jna-5.19.1.jar", """
                skipped com/sun/jna/aix-ppc/libjnidispatch.a: XCOFF32 (AIX): not ELF
                skipped com/sun/jna/aix-ppc64/libjnidispatch.a: XCOFF64 (AIX): not ELF
                skipped com/sun/jna/darwin-aarch64/libjnidispatch.jnilib: Mach-O arm64 (macOS): not ELF
                skipped com/sun/jna/darwin-x86-64/libjnidispatch.jnilib: Mach-O x86_64 (macOS): not ELF
                skipped com/sun/jna/dragonflybsd-x86-64/libjnidispatch.so: ELF64 x86-64 shared object for DragonFly BSD (DT_NEEDED libc.so.8): not for Linux
                skipped com/sun/jna/freebsd-aarch64/libjnidispatch.so: ELF64 AArch64 shared object for FreeBSD (FreeBSD note): not for Linux
                skipped com/sun/jna/freebsd-x86-64/libjnidispatch.so: ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9): not for Linux
                skipped com/sun/jna/freebsd-x86/libjnidispatch.so: ELF32 i386 shared object: not a packaged machine
                taken   com/sun/jna/linux-aarch64/libjnidispatch.so -> linux-aarch_64 (ELF64 AArch64 shared object)
                skipped com/sun/jna/linux-arm/libjnidispatch.so: ELF32 ARM shared object: not a packaged machine
                skipped com/sun/jna/linux-armel/libjnidispatch.so: ELF32 ARM shared object: not a packaged machine
                skipped com/sun/jna/linux-loongarch64/libjnidispatch.so: ELF64 LoongArch shared object: not a packaged machine
                skipped com/sun/jna/linux-mips64el/libjnidispatch.so: ELF64 MIPS shared object: not a packaged machine
                skipped com/sun/jna/linux-ppc/libjnidispatch.so: ELF32 big-endian PowerPC shared object: not a packaged machine
                skipped com/sun/jna/linux-ppc64le/libjnidispatch.so: ELF64 PowerPC64 shared object: not a packaged machine
                skipped com/sun/jna/linux-riscv64/libjnidispatch.so: ELF64 RISC-V shared object: not a packaged machine
                skipped com/sun/jna/linux-s390x/libjnidispatch.so: ELF64 big-endian S/390 shared object: not a packaged machine
                taken   com/sun/jna/linux-x86-64/libjnidispatch.so -> linux-x86_64 (ELF64 x86-64 shared object)
                skipped com/sun/jna/linux-x86/libjnidispatch.so: ELF32 i386 shared object: not a packaged machine
                skipped com/sun/jna/openbsd-x86-64/libjnidispatch.so: ELF64 x86-64 shared object for OpenBSD (EI_OSABI 12): not for Linux
                skipped com/sun/jna/sunos-sparc/libjnidispatch.so: ELF32 big-endian SPARC32PLUS shared object: not a packaged machine
                skipped com/sun/jna/sunos-sparcv9/libjnidispatch.so: ELF64 big-endian SPARC V9 shared object: not a packaged machine
                skipped com/sun/jna/sunos-x86-64/libjnidispatch.so: ELF64 x86-64 shared object for Solaris (EI_OSABI 6): not for Linux
                skipped com/sun/jna/sunos-x86/libjnidispatch.so: ELF32 i386 shared object: not a packaged machine
                skipped com/sun/jna/win32-aarch64/jnidispatch.dll: PE ARM64 (Windows): not ELF
                skipped com/sun/jna/win32-x86-64/jnidispatch.dll: PE x86-64 (Windows): not ELF
                skipped com/sun/jna/win32-x86/jnidispatch.dll: PE i386 (Windows): not ELF
                """);
    }
}
