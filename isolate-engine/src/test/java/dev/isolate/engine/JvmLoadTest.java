package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The isolated zlib loads into this JVM next to the system zlib that java.util.zip already uses, as a separate
 * object, and works under its new names, without disturbing java.util.zip.
 */
class JvmLoadTest {
    static final Path LIBZ = Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1");
    static Path output;
    static String isolated;

    @BeforeAll
    static void isolateAndLoad() throws IOException {
        Tools.requireFile(LIBZ, "zlib1g");
        new Deflater().end(); // java.util.zip has the system libz.so.1 loaded from here on
        Path probe = Tools.fixtures().resolve("libzprobe.so");
        Path dir = Tools.freshWork("jvm");
        Report r = Checks.isolate(LIBZ, dir, "acme_");
        output = r.output().toAbsolutePath();
        isolated = output.toString();
        assertEquals("libacme_z.so.1", output.getFileName().toString(), "output file name");
        System.load(probe.toString());
        System.load(isolated);
    }

    @Test
    void theIsolatedCopyIsASeparateObjectInTheProcess() throws IOException {
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        assertTrue(maps.stream().anyMatch(l -> l.endsWith(" " + isolated)), "/proc/self/maps lists " + isolated);
        String real = LIBZ.toRealPath().toString();
        assertTrue(maps.stream().anyMatch(l -> l.endsWith(" " + real) || l.endsWith(" " + LIBZ)),
                "/proc/self/maps lists the system zlib " + real + " too (loaded by java.util.zip)");
    }

    @Test
    void versionUnderTheNewNameMatchesTheSystemZlib() {
        String system = ZlibProbe.version("libz.so.1", "zlibVersion");
        String mine = ZlibProbe.version(isolated, "acme_zlibVersion");
        assertEquals(system, mine, "acme_zlibVersion() of " + isolated + " vs zlibVersion() of the system libz.so.1");
    }

    @Test
    void crc32UnderTheNewNameMatchesJavaUtilZip() {
        byte[] data = new byte[100_000];
        new Random(42).nextBytes(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        assertEquals(crc.getValue(), ZlibProbe.crc32(isolated, "acme_crc32", data),
                "acme_crc32 of " + isolated + " vs java.util.zip.CRC32 of the same 100000 bytes");
        assertNotEquals(0L, crc.getValue(), "CRC of the test data");
    }

    @Test
    void theOriginalNameIsNotInTheIsolatedCopy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ZlibProbe.version(isolated, "zlibVersion"),
                "dlsym(handle of " + isolated + ", \"zlibVersion\") must fail: the original name is gone");
        assertTrue(e.getMessage().contains("dlsym"), "the failure comes from dlsym: " + e.getMessage());
    }

    @Test
    void javaUtilZipStillWorks() throws DataFormatException {
        // Compressible, but not trivially: words from a small alphabet.
        byte[] data = new byte[1 << 20];
        Random rnd = new Random(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + rnd.nextInt(rnd.nextInt(26) + 1));
        }
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            packed.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] compressed = packed.toByteArray();
        assertTrue(compressed.length < data.length, "Deflater compressed 1 MiB to " + compressed.length + " bytes");

        Inflater inf = new Inflater();
        inf.setInput(compressed);
        byte[] back = new byte[data.length];
        int n = 0;
        while (!inf.finished() && n < back.length) {
            int k = inf.inflate(back, n, back.length - n);
            if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                break;
            }
            n += k;
        }
        assertTrue(inf.finished(), "Inflater reached the end of the stream");
        inf.end();
        assertEquals(data.length, n, "inflated length");
        assertArrayEquals(data, back, "1 MiB Deflater/Inflater round trip after loading " + isolated);
    }
}
