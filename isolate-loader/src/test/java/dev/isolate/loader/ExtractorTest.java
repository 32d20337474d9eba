package dev.isolate.loader;

import static dev.isolate.loader.BundleFixture.DEP;
import static dev.isolate.loader.BundleFixture.GLUE;
import static dev.isolate.loader.BundleFixture.PLATFORM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Extraction into one directory, straight through {@link Extractor} (no JVM-wide cache in between). */
class ExtractorTest {
    record Bundle(URL url, NativeIndex index) {}

    static Bundle bundle(Path root) throws IOException {
        Path indexFile = root.resolve("native").resolve(PLATFORM).resolve("isolate.index");
        URL url = indexFile.toUri().toURL();
        return new Bundle(url, NativeIndex.parse(url.toString(), Files.readAllBytes(indexFile)));
    }

    static Extractor.Outcome extract(Bundle b, Path base) throws Extractor.UnusableDirectory {
        return Extractor.extract(b.index, b.url, base, PLATFORM);
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void extractsIntoAContentAddressedOwnerOnlyDirectory() throws Exception {
        Bundle b = bundle(BundleFixture.classpathDir("ex-cp", PLATFORM));
        Path base = Tools.freshWork("ex-base");
        Extractor.Outcome o = extract(b, base);

        Path dir = base.resolve(PLATFORM).resolve(b.index.sha256.substring(0, 32));
        assertEquals(dir, o.directory());
        assertEquals(List.of(dir.resolve(DEP), dir.resolve(GLUE)), o.extracted());
        assertEquals(List.of(".lock", DEP, GLUE), names(dir), "the libraries and the lock, no temporary files");
        for (String f : List.of(DEP, GLUE)) {
            assertArrayEquals(Files.readAllBytes(BundleFixture.libs().resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
            assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

        Extractor.Outcome again = extract(b, base);
        assertEquals(dir, again.directory());
        assertEquals(List.of(), again.extracted(), "intact files are reused");
    }

    @Test
    void extractsFromAJar() throws Exception {
        Path jar = BundleFixture.jar("ex-jar");
        URL url = new URL("jar:" + jar.toUri() + "!/native/" + PLATFORM + "/isolate.index");
        NativeIndex index = NativeIndex.parse(url.toString(), BundleFixture.index().getBytes(StandardCharsets.UTF_8));
        Extractor.Outcome o = Extractor.extract(index, url, Tools.freshWork("ex-jar-base"), PLATFORM);
        assertEquals(2, o.extracted().size());
        assertArrayEquals(Files.readAllBytes(BundleFixture.libs().resolve(GLUE)), Files.readAllBytes(o.directory().resolve(GLUE)));
    }

    @Test
    void aDamagedOrReplacedFileIsWrittenAgain() throws Exception {
        Bundle b = bundle(BundleFixture.classpathDir("ex-damage-cp", PLATFORM));
        Path base = Tools.freshWork("ex-damage");
        Path dir = extract(b, base).directory();
        byte[] good = Files.readAllBytes(dir.resolve(GLUE));

        // Same size, one byte changed: only the hash can tell.
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        rewrite(dir.resolve(GLUE), bad);
        assertEquals(List.of(dir.resolve(GLUE)), extract(b, base).extracted());
        assertArrayEquals(good, Files.readAllBytes(dir.resolve(GLUE)));

        rewrite(dir.resolve(DEP), new byte[10]); // truncated
        Files.delete(dir.resolve(GLUE));
        Files.createSymbolicLink(dir.resolve(GLUE), BundleFixture.libs().resolve(GLUE)); // right bytes, but a link
        assertEquals(List.of(dir.resolve(DEP), dir.resolve(GLUE)), extract(b, base).extracted());
        assertFalse(Files.isSymbolicLink(dir.resolve(GLUE)));
        assertArrayEquals(good, Files.readAllBytes(dir.resolve(GLUE)));
    }

    static void rewrite(Path file, byte[] bytes) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.write(file, bytes);
    }

    @Test
    void leftoversOfAnInterruptedExtractionAreRemoved() throws Exception {
        Bundle b = bundle(BundleFixture.classpathDir("ex-left-cp", PLATFORM));
        Path base = Tools.freshWork("ex-left");
        Path dir = extract(b, base).directory();
        Files.writeString(dir.resolve("." + GLUE + ".12345.tmp"), "half");
        assertEquals(List.of(), extract(b, base).extracted());
        assertEquals(List.of(".lock", DEP, GLUE), names(dir));
    }

    @Test
    void aResourceThatDoesNotMatchItsIndexLineIsNeverWritten() throws Exception {
        Path root = BundleFixture.classpathDir("ex-tampered-cp", PLATFORM);
        Path res = root.resolve("native").resolve(PLATFORM).resolve(GLUE);
        byte[] bytes = Files.readAllBytes(res);
        bytes[100] ^= 1;
        Files.write(res, bytes);
        Bundle b = bundle(root);
        Path base = Tools.freshWork("ex-tampered");

        NativeLoadError e = assertThrows(NativeLoadError.class, () -> extract(b, base));
        assertEquals(res.toUri().toURL() + " has " + bytes.length + " bytes, sha256 " + BundleFixture.sha256(bytes) + "; " + b.url
                + ":4 says " + bytes.length + " bytes, sha256 " + b.index.member(GLUE).sha256()
                + ": the jar was changed after isolation or is corrupt; not loading it", e.getMessage());
        Path dir = Extractor.directory(base, PLATFORM, b.index);
        assertEquals(List.of(".lock", DEP), names(dir), "the dependency before it is in place, the bad file is not, nor a temporary");
    }

    @Test
    void unusableDirectoriesSayWhy() throws Exception {
        Bundle b = bundle(BundleFixture.classpathDir("ex-unusable-cp", PLATFORM));
        Path work = Tools.freshWork("ex-unusable");

        Path file = Files.writeString(work.resolve("a-file"), "");
        Extractor.UnusableDirectory e = assertThrows(Extractor.UnusableDirectory.class, () -> extract(b, file));
        assertTrue(e.getMessage().startsWith("cannot create " + Extractor.directory(file, PLATFORM, b.index) + ": "), e.getMessage());

        Path shared = work.resolve("shared");
        Path dir = Extractor.directory(shared, PLATFORM, b.index);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        e = assertThrows(Extractor.UnusableDirectory.class, () -> extract(b, shared));
        assertEquals(dir + " is writable by other users (rwxrwxrwx): a library could be replaced between its check and its load",
                e.getMessage());
        assertEquals(List.of(), names(dir), "nothing written");
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws Exception {
        Bundle b = bundle(BundleFixture.classpathDir("ex-owner-cp", PLATFORM));
        Path base = Tools.freshWork("ex-owner");
        Path dir = Extractor.directory(base, PLATFORM, b.index);
        Files.createDirectories(dir);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int other = (Integer) self == 0 ? 65534 : 0;
        try {
            Files.setAttribute(dir, "unix:uid", other);
        } catch (IOException notPermitted) {
            Tools.unavailable("cannot chown a directory to uid " + other + " (needs root): " + notPermitted);
        }
        Extractor.UnusableDirectory e = assertThrows(Extractor.UnusableDirectory.class, () -> extract(b, base));
        assertEquals(dir + " belongs to uid " + other + ", not to this process's uid " + self, e.getMessage());
    }
}
