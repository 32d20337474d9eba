package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleZipTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final TimeZone saved = TimeZone.getDefault();

    @TempDir
    Path tmp;

    @AfterEach
    void restoreTimeZone() {
        TimeZone.setDefault(saved);
    }

    private TreeMap<String, Path> inputs(String mode) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("in-" + mode));
        Path a = Files.write(dir.resolve("liba.so"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Path b = Files.writeString(dir.resolve("isolate.index"), "# index\n");
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString(mode));
        Files.setPosixFilePermissions(b, PosixFilePermissions.fromString(mode));
        TreeMap<String, Path> m = new TreeMap<>();
        m.put("native/linux-x86_64/liba.so", a);
        m.put("native/linux-x86_64/isolate.index", b);
        return m;
    }

    private byte[] write(String name, String timeZone, String mode, Instant time, boolean jar) throws IOException {
        TimeZone.setDefault(TimeZone.getTimeZone(timeZone));
        Path out = tmp.resolve(name);
        ReproducibleZip.write(out, inputs(mode), time, jar);
        return Files.readAllBytes(out);
    }

    @Test
    void sameBytesUnderAnotherTimeZoneAndOtherFileModes() throws IOException {
        for (boolean jar : List.of(true, false)) {
            byte[] utc = write("utc" + jar, "UTC", "rw-r--r--", T, jar);
            // +14:00 and -08:00: the local date differs from the UTC date in both directions.
            assertArrayEquals(utc, write("kiritimati" + jar, "Pacific/Kiritimati", "rwxr-x---", T, jar));
            assertArrayEquals(utc, write("la" + jar, "America/Los_Angeles", "rw-------", T, jar));
        }
    }

    @Test
    void entriesAreSortedWithTheirParentDirectoriesAndCarryTheBuildTimeInUtc() throws IOException {
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata")); // +05:30: a converted time would show
        Path out = tmp.resolve("x.jar");
        ReproducibleZip.write(out, inputs("rw-r--r--"), T, true);
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(out.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                names.add(e.getName());
                assertEquals(LocalDateTime.parse("2026-01-01T00:00:00"), e.getTimeLocal(), e.getName());
                // No extended timestamp, no unix uid/gid; only the jar magic (0xCAFE, empty) JarOutputStream puts first.
                if (names.size() == 1) {
                    assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xca, 0, 0}, e.getExtra());
                } else {
                    assertNull(e.getExtra(), e.getName());
                }
            }
        }
        assertEquals(List.of("META-INF/", "META-INF/MANIFEST.MF", "native/", "native/linux-x86_64/",
                "native/linux-x86_64/isolate.index", "native/linux-x86_64/liba.so"), names);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void noTimestampOrOneBefore1980GivesTheZipEpoch() throws IOException {
        byte[] none = write("none.zip", "UTC", "rw-r--r--", null, false);
        assertArrayEquals(none, write("old.zip", "Europe/Berlin", "rw-r--r--", Instant.parse("1970-01-01T00:00:00Z"), false));
        assertNotEquals(new String(none, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(write("t.zip", "UTC", "rw-r--r--", T, false), java.nio.charset.StandardCharsets.ISO_8859_1));
        try (ZipFile z = new ZipFile(tmp.resolve("none.zip").toFile())) {
            assertEquals(LocalDateTime.parse("1980-01-01T00:00:02"), z.entries().nextElement().getTimeLocal());
        }
    }

    /** Temporary files the writer left in the output directory. */
    private List<String> leftovers() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    @Test
    void anUnchangedArchiveIsNotWrittenAgainAndAChangedOneIs() throws IOException {
        TreeMap<String, Path> in = inputs("rw-r--r--");
        Path out = tmp.resolve("p.jar");
        Path stamp = tmp.resolve("stamps/p.jar.stamp");
        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L); // so a rewrite shows, whatever the clock's resolution
        Files.setLastModifiedTime(out, old);
        Files.writeString(stamp, Files.readString(stamp).replaceAll("target (\\d+) .*", "target $1 " + old));
        byte[] bytes = Files.readAllBytes(out);

        assertFalse(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp), "same entries, time and kind");
        assertEquals(old, Files.getLastModifiedTime(out));

        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T.plusSeconds(2), true, stamp), "another time");
        assertNotEquals(old, Files.getLastModifiedTime(out));
        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp), "back again");
        assertArrayEquals(bytes, Files.readAllBytes(out));
        assertFalse(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp));

        Path lib = in.get("native/linux-x86_64/liba.so");
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F', 9});
        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp), "an entry changed");
        assertFalse(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp));

        Files.write(out, new byte[] {1, 2, 3});
        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp), "the archive changed behind its back");
        Files.delete(out);
        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp), "the archive deleted");
        assertTrue(Files.isRegularFile(out));
        Files.delete(stamp);
        assertTrue(ReproducibleZip.writeUnlessCurrent(out, in, T, true, stamp), "no stamp: written");
    }
}
