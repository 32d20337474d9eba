package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void copiesTheMatchingEntriesUnderTheirFileNames() throws IOException {
        Path z = zip("dep.jar", entries("native/linux/libb.so", bytes("B"), "META-INF/MANIFEST.MF", bytes("m"),
                "liba.so.1", bytes("A"), "native/README.txt", bytes("r"), "native/libc.so.1.2", bytes("C")));
        Path into = tmp.resolve("out");
        List<Path> got = ArchiveEntries.extract(z, List.of(), into);
        // Sorted by entry name; the default patterns take *.so and *.so.* at any depth, nothing else.
        assertEquals(List.of(into.resolve("liba.so.1"), into.resolve("libc.so.1.2"), into.resolve("libb.so")), got);
        assertEquals(List.of("liba.so.1", "libb.so", "libc.so.1.2"), tree(into));
        assertArrayEquals(bytes("B"), Files.readAllBytes(into.resolve("libb.so")));
        assertArrayEquals(bytes("C"), Files.readAllBytes(into.resolve("libc.so.1.2")));

        List<Path> only = ArchiveEntries.extract(z, List.of("native/linux/*.so"), tmp.resolve("only"));
        assertEquals(List.of(tmp.resolve("only/libb.so")), only);
    }

    @Test
    void anEntryClimbingOutIsRefusedAndNothingIsWrittenOutsideTheDirectory() throws IOException {
        Path into = tmp.resolve("a/b/out");
        for (String evil : List.of("../x.so", "native/../../x.so", "native\\..\\..\\x.so")) {
            Path z = zip("evil.zip", entries(evil, bytes("E")));
            IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.extract(z, List.of("**"), into));
            assertEquals(z + ": entry name '" + evil + "' is absolute or leaves the archive; refused", ex.getMessage());
            assertEquals(List.of(), tree(into), evil);
            assertFalse(Files.exists(tmp.resolve("a/x.so")) || Files.exists(tmp.resolve("a/b/x.so")), evil);
        }
    }

    @Test
    void anAbsoluteEntryNameIsRefused() throws IOException {
        Path target = tmp.resolve("abs.so");
        Path z = zip("abs.zip", entries(target.toString(), bytes("E")));
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.extract(z, List.of(), tmp.resolve("out")));
        assertTrue(ex.getMessage().contains("'" + target + "' is absolute"), ex.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aNulInAnEntryNameIsRefusedAsBadInput() throws IOException {
        Path z = zip("nul.zip", entries("lib\0x.so", bytes("E")));
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.extract(z, List.of(), tmp.resolve("out")));
        assertTrue(ex.getMessage().startsWith(z + ": entry name 'lib\\0x.so' is not a valid path"), ex.getMessage());
    }

    @Test
    void twoEntriesWithOneFileNameAreRefusedNotOverwritten() throws IOException {
        Path z = zip("dup.jar", entries("x86/libz.so.1", bytes("1"), "amd64/libz.so.1", bytes("2")));
        Path into = tmp.resolve("out");
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.extract(z, List.of(), into));
        assertTrue(ex.getMessage().startsWith(z + ": two entries matching "), ex.getMessage());
        assertTrue(ex.getMessage().endsWith(" are named libz.so.1; narrow the <includes>"), ex.getMessage());
        // Narrowing the patterns is the fix.
        assertEquals(List.of(into.resolve("libz.so.1")), ArchiveEntries.extract(z, List.of("amd64/*"), into));
        assertArrayEquals(bytes("2"), Files.readAllBytes(into.resolve("libz.so.1")));
    }

    @Test
    void anEntryOverTheSizeLimitIsRefusedBeforeItIsCopied() throws IOException {
        Path z = zip("big.zip", entries("libbig.so", new byte[1001], "libsmall.so", new byte[1000]));
        Path into = tmp.resolve("out");
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.extract(z, List.of(), into, 1000));
        assertEquals(z + ": entry libbig.so is 1001 bytes, over the 1000 byte limit", ex.getMessage());
        assertEquals(List.of(), tree(into));
        assertEquals(List.of(into.resolve("libsmall.so")), ArchiveEntries.extract(z, List.of("libsmall.so"), into, 1000));
    }

    @Test
    void aCentralDirectoryThatUnderstatesTheSizeIsCaughtWhileInflating() throws IOException {
        // A zip bomb's trick: the header says 10 bytes, the deflated data inflates to 1 MiB.
        Path z = zip("bomb.zip", entries("libbomb.so", new byte[1 << 20]));
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
        IsolateBuildException ex = assertThrows(IsolateBuildException.class, () -> ArchiveEntries.extract(z, List.of(), into, 4096));
        assertEquals(z + ": entry libbomb.so inflates past the 4096 byte limit", ex.getMessage());
        assertEquals(List.of(), tree(into)); // the partial copy is gone too
    }

    @Test
    void aFileThatIsNotAZipIsReportedAsSuch() throws IOException {
        Path notZip = Files.writeString(tmp.resolve("dep.jar"), "hello");
        IsolateBuildException ex = assertThrows(IsolateBuildException.class,
                () -> ArchiveEntries.extract(notZip, List.of(), tmp.resolve("out")));
        assertTrue(ex.getMessage().startsWith(notZip + ": not a readable jar or zip ("), ex.getMessage());
    }
}
