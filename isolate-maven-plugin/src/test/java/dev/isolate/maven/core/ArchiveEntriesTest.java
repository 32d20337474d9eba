package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.elf.ElfFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveEntriesTest {
    @TempDir
    Path tmp;

    /** A zip holding {@code entries} (name -> bytes) in the given order, deflated. */
    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path z = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(z); ZipOutputStream out = new ZipOutputStream(os)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return z;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return m;
    }

    /** Every file and directory under {@code dir}, relative, sorted. */
    private static List<String> tree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static final byte[] X86 = TinyElf.x86_64().needs("libc.so.6").bytes();
    private static final byte[] ARM = TinyElf.aarch64().needs("libc.so.6").bytes();
    /** A Mach-O 64-bit arm64 header (magic 0xfeedfacf little-endian, cputype 0x0100000c). */
    private static final byte[] MACHO = {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe, 0x0c, 0, 0, 0x01, 0, 0, 0, 0};

    @Test
    void withoutIncludesTakesTheLibrariesOfEachPlatformWhateverTheirPath() throws IOException {
        Path z = zip("dep.jar", entries("natives/linux/amd64/libz.so", X86, "META-INF/MANIFEST.MF", bytes("m"),
                "natives/linux/aarch64/libz.so", ARM, "natives/darwin/libz.dylib", MACHO, "native/README.txt", bytes("r"),
                "Z.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61},
                "oddly/named/zlib.bin", X86));
        Path into = tmp.resolve("out");
        ArchiveEntries.Selection s = ArchiveEntries.select(z, List.of(), into);
        // Sorted by entry name; one file name for two platforms is no clash; a text, a class file: not reported.
        assertEquals(List.of(into.resolve("linux-aarch_64/libz.so"), into.resolve("linux-x86_64/libz.so"),
                into.resolve("linux-x86_64/zlib.bin")), s.files());
        assertEquals(List.of(".selection", "linux-aarch_64", "linux-aarch_64/libz.so", "linux-x86_64", "linux-x86_64/libz.so",
                "linux-x86_64/zlib.bin"), tree(into));
        assertArrayEquals(ARM, Files.readAllBytes(into.resolve("linux-aarch_64/libz.so")));
        assertEquals(List.of(
                "skipped natives/darwin/libz.dylib: Mach-O arm64 (macOS): not ELF",
                "taken   natives/linux/aarch64/libz.so -> linux-aarch_64 (ELF64 AArch64 shared object)",
                "taken   natives/linux/amd64/libz.so -> linux-x86_64 (ELF64 x86-64 shared object)",
                "taken   oddly/named/zlib.bin -> linux-x86_64 (ELF64 x86-64 shared object)"), s.report());
        assertEquals("linux-aarch_64 natives/linux/aarch64/libz.so, linux-x86_64 natives/linux/amd64/libz.so, "
                + "linux-x86_64 oddly/named/zlib.bin; 1 other native file skipped", s.summary());

        ArchiveEntries.Selection only = ArchiveEntries.select(z, List.of("natives/linux/amd64/*.so"), tmp.resolve("only"));
        assertEquals(List.of(tmp.resolve("only/linux-x86_64/libz.so")), only.files());
        assertEquals(List.of(), only.skipped());
    }

    @Test
    void anIncludedEntryThatIsNoLibraryForAPackagedMachineIsAnErrorNamingIt() throws IOException {
        Path z = zip("dep.jar", entries("natives/darwin/libz.dylib", MACHO, "natives/linux/README", bytes("r")));
        IsolateBuildException ex = assertThrows(IsolateBuildException.class,
                () -> ArchiveEntries.select(z, List.of("natives/**"), tmp.resolve("out")));
        assertEquals(z + ": entry natives/darwin/libz.dylib matches [natives/**] but is Mach-O arm64 (macOS) (not ELF); the plugin"
                + " isolates ELF64 shared objects for linux-x86_64, linux-aarch_64 (glibc or musl): narrow the <includes>", ex.getMessage());
        ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of("natives/linux/*"), tmp.resolve("out")));
        assertEquals(z + ": entry natives/linux/README matches [natives/linux/*] but is not a native library; the plugin"
                + " isolates ELF64 shared objects for linux-x86_64, linux-aarch_64 (glibc or musl): narrow the <includes>", ex.getMessage());
        assertEquals(List.of(), tree(tmp.resolve("out")));
    }

    @Test
    void anIncludedLibraryForAnotherSystemIsTakenWithAWarning() throws IOException {
        Path z = zip("dep.jar", entries("freebsd/libz.so", TinyElf.x86_64().osabi(9).bytes()));
        ArchiveEntries.Selection s = ArchiveEntries.select(z, List.of("freebsd/*"), tmp.resolve("out"));
        assertEquals(List.of(tmp.resolve("out/linux-x86_64/libz.so")), s.files());
        assertEquals(List.of(z + ": freebsd/libz.so is ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9) (not for Linux),"
                + " taken as linux-x86_64 because <includes> names it"), s.warnings());
        // Without includes it is skipped, and an archive with nothing else is an error that says what it holds.
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of(), tmp.resolve("o2")));
        assertEquals(z + ": no ELF shared object for linux-x86_64, linux-aarch_64 (glibc or musl) in it; skipped: freebsd/libz.so (ELF64 x86-64"
                + " shared object for FreeBSD (EI_OSABI 9))", ex.getMessage());
        Path empty = zip("empty.jar", entries("a/B.class", bytes("x"), "README", bytes("r")));
        ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(empty, List.of(), tmp.resolve("o3")));
        assertEquals(empty + ": no ELF shared object for linux-x86_64, linux-aarch_64 (glibc or musl) in it (and no other native file either);"
                + " name the entries with <includes>", ex.getMessage());
    }

    @Test
    void anEntryClimbingOutIsRefusedAndNothingIsWrittenOutsideTheDirectory() throws IOException {
        Path into = tmp.resolve("a/b/out");
        for (String evil : List.of("../x.so", "native/../../x.so", "native\\..\\..\\x.so")) {
            for (List<String> includes : List.of(List.of("**"), List.<String>of())) {
                Path z = zip("evil.zip", entries(evil, X86));
                IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, includes, into));
                assertEquals(z + ": entry name '" + evil + "' is absolute or leaves the archive; refused", ex.getMessage());
                assertEquals(List.of(), tree(into), evil);
                assertFalse(Files.exists(tmp.resolve("a/x.so")) || Files.exists(tmp.resolve("a/b/x.so")), evil);
            }
        }
    }

    @Test
    void anAbsoluteEntryNameIsRefused() throws IOException {
        Path target = tmp.resolve("abs.so");
        Path z = zip("abs.zip", entries(target.toString(), X86));
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of(), tmp.resolve("out")));
        assertEquals(z + ": entry name '" + target + "' is absolute or leaves the archive; refused", ex.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aNulInAnEntryNameIsRefusedAsBadInput() throws IOException {
        Path z = zip("nul.zip", entries("lib\0x.so", X86));
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of("**"), tmp.resolve("out")));
        assertTrue(ex.getMessage().startsWith(z + ": entry name 'lib\\0x.so' is not a valid path"), ex.getMessage());
        ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of(), tmp.resolve("out")));
        assertEquals(z + ": entry name 'lib\\0x.so' is not a valid path (a NUL character); refused", ex.getMessage());
    }

    @Test
    void twoLibrariesOfOnePlatformWithOneFileNameAreRefusedNamingBoth() throws IOException {
        Path z = zip("dup.jar", entries("x86/libz.so.1", X86, "amd64/libz.so.1", TinyElf.x86_64().needs("libm.so.6").bytes(),
                "arm64/libz.so.1", ARM));
        Path into = tmp.resolve("out");
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of(), into));
        assertEquals(z + ": entries amd64/libz.so.1 and x86/libz.so.1 are all linux-x86_64 libraries named libz.so.1;"
                + " choose one with <includes>", ex.getMessage());
        assertEquals(List.of(), tree(into)); // nothing placed, no partial copy left
        ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of("*/*.so.1"), into));
        assertTrue(ex.getMessage().endsWith(" libz.so.1; narrow the <includes>"), ex.getMessage());
        // Narrowing the patterns is the fix.
        assertEquals(List.of(into.resolve("linux-x86_64/libz.so.1")), ArchiveEntries.select(z, List.of("x86/*"), into).files());
        assertArrayEquals(X86, Files.readAllBytes(into.resolve("linux-x86_64/libz.so.1")));
    }

    @Test
    void anUnchangedLibraryIsNotWrittenAgain() throws IOException {
        Path z = zip("dep.jar", entries("linux/libz.so", X86));
        Path into = tmp.resolve("out");
        Path lib = ArchiveEntries.select(z, List.of(), into).files().get(0);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(lib, old);
        assertEquals(List.of(lib), ArchiveEntries.select(z, List.of(), into).files());
        assertEquals(old, Files.getLastModifiedTime(lib));
        assertEquals(List.of(".selection", "linux-x86_64", "linux-x86_64/libz.so"), tree(into)); // no .part left either
        Files.write(lib, ARM); // changed behind our back: written again
        ArchiveEntries.select(z, List.of(), into);
        assertArrayEquals(X86, Files.readAllBytes(lib));
    }

    @Test
    void anUnchangedArchiveIsNotOpenedAgain() throws IOException {
        Path z = zip("dep.jar", entries("linux/libz.so", X86, "mac/libz.dylib", MACHO, "win/z.dll", bytes("MZ")));
        Path into = tmp.resolve("out");
        ArchiveEntries.Selection first = ArchiveEntries.select(z, List.of(), into);
        // Same size and time, other bytes: the remembered selection is returned without reading the archive.
        FileTime time = Files.getLastModifiedTime(z);
        Files.write(z, new byte[(int) Files.size(z)]);
        Files.setLastModifiedTime(z, time);
        assertEquals(first, ArchiveEntries.select(z, List.of(), into));
        // Other patterns, another time, or a placed file gone: judged again (and this archive is no zip now).
        assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of("linux/*"), into));
        ArchiveEntries.select(zip("dep.jar", entries("linux/libz.so", X86)), List.of(), into); // restore
        Files.write(z, new byte[(int) Files.size(z)]);
        Files.setLastModifiedTime(z, time);
        Files.delete(into.resolve("linux-x86_64/libz.so"));
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of(), into));
        assertTrue(ex.getMessage().startsWith(z + ": not a readable jar or zip"), ex.getMessage());

        // A tab in an entry name would garble the memo: such an archive is judged every time.
        Path tab = zip("tab.jar", entries("linux/lib\tz.so", X86));
        Path into2 = tmp.resolve("out2");
        ArchiveEntries.select(tab, List.of(), into2);
        assertFalse(Files.exists(into2.resolve(".selection")));
    }

    @Test
    void anEntryOverTheSizeLimitIsRefusedBeforeItIsCopied() throws IOException {
        Path z = zip("big.zip", entries("libbig.so", TinyElf.x86_64().padTo(1001).bytes(), "libsmall.so",
                TinyElf.x86_64().padTo(1000).bytes()));
        Path into = tmp.resolve("out");
        for (List<String> includes : List.of(List.<String>of(), List.of("*.so"))) {
            IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, includes, into, 1000));
            assertEquals(z + ": entry libbig.so is 1001 bytes, over the 1000 byte limit", ex.getMessage());
            assertEquals(List.of(), tree(into));
        }
        assertEquals(List.of(into.resolve("linux-x86_64/libsmall.so")), ArchiveEntries.select(z, List.of("libsmall.so"), into, 1000).files());
    }

    @Test
    void aCentralDirectoryThatUnderstatesTheSizeIsCaughtWhileInflating() throws IOException {
        // A zip bomb's trick: the header says 10 bytes, the deflated data inflates to 1 MiB.
        Path z = zip("bomb.zip", entries("libbomb.so", TinyElf.x86_64().padTo(1 << 20).bytes()));
        byte[] b = Files.readAllBytes(z);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 46 <= b.length; i++) {
            if (buf.getInt(i) == 0x02014b50) { // central directory file header; uncompressed size at +24
                buf.putInt(i + 24, 10);
                patched++;
            }
        }
        assertEquals(1, patched);
        Files.write(z, b);
        Path into = tmp.resolve("out");
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.select(z, List.of(), into, 4096));
        assertEquals(z + ": entry libbomb.so inflates past the 4096 byte limit", ex.getMessage());
        assertEquals(List.of(), tree(into)); // the partial copy is gone too
    }

    @Test
    void aDamagedCandidateIsAFormatErrorNamingTheArchiveAndEntry() throws IOException {
        byte[] bad = TinyElf.x86_64().bytes();
        bad[56] = 9; // e_phnum 9: the program header table runs past the end of the file
        Path z = zip("bad.jar", entries("linux/libbad.so", bad));
        ElfFormatException ex = assertThrows(ElfFormatException.class, () -> ArchiveEntries.select(z, List.of(), tmp.resolve("out")));
        assertTrue(ex.getMessage().startsWith(z + "!/linux/libbad.so: Elf64_Phdr table at byte 0x40: 504 bytes needed"), ex.getMessage());
        assertEquals(List.of(), tree(tmp.resolve("out")));
    }

    @Test
    void aFileThatIsNotAZipIsReportedAsSuch() throws IOException {
        Path notZip = Files.writeString(tmp.resolve("dep.jar"), "hello");
        IsolateBuildException ex = assertThrows(IsolateBuildException.class,
                () -> ArchiveEntries.select(notZip, List.of(), tmp.resolve("out")));
        assertTrue(ex.getMessage().startsWith(notZip + ": not a readable jar or zip ("), ex.getMessage());
    }
}
