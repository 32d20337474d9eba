package dev.isolate.loader;

import static dev.isolate.loader.BundleFixture.DEP;
import static dev.isolate.loader.BundleFixture.GLUE;
import static dev.isolate.loader.BundleFixture.PLATFORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cache filled in advance (when a container image was built) and then mounted read-only: used as it is while its
 * files are intact, refused when one is not. A read-only bind mount stands for it (root only, like NoexecTest).
 */
class ReadOnlyTest {
    static Path src;
    static Path mnt;
    static URLClassLoader cl;
    static NativeIndex index;
    static URL indexUrl;

    @BeforeAll
    static void fillThenMountReadOnly() throws Exception {
        Path root = BundleFixture.classpathDir("ro-cp", PLATFORM);
        cl = BundleFixture.classLoader(root);
        indexUrl = cl.getResource("native/" + PLATFORM + "/isolate.index");
        index = NativeIndex.parse(indexUrl.toString(), Files.readAllBytes(Path.of(indexUrl.toURI())));
        src = Tools.work("ro-src");
        mnt = Tools.work("ro-mnt");
        TestMount.unmount(mnt);
        Tools.deleteContents(src);
        Extractor.extract(index, indexUrl, src, PLATFORM);
        TestMount.mount(mnt, List.of(List.of("--bind", src.toString(), mnt.toString()), List.of("-o", "remount,bind,ro", mnt.toString())));
    }

    @AfterAll
    static void unmount() {
        TestMount.unmount(mnt);
    }

    @Test
    void anIntactReadOnlyCacheIsUsedAsItIs() {
        Recorder rec = new Recorder();
        NativeLibrary lib = rec.builder(cl).extractTo(mnt).load("glue");
        Path dir = Extractor.directory(mnt, PLATFORM, index);
        assertEquals(dir, lib.directory());
        assertEquals(List.of(), lib.extracted());
        assertEquals(List.of(dir.resolve(DEP).toString(), dir.resolve(GLUE).toString()), rec.loaded);
    }

    @Test
    void aDamagedFileInAReadOnlyCacheIsRefused() throws Exception {
        Path under = Extractor.directory(src, PLATFORM, index).resolve(GLUE); // the same file, through the writable side
        byte[] good = Files.readAllBytes(under);
        try {
            byte[] bad = good.clone();
            bad[7] ^= 1;
            Files.setPosixFilePermissions(under, PosixFilePermissions.fromString("rw-------"));
            Files.write(under, bad);
            Path dir = Extractor.directory(mnt, PLATFORM, index);
            Extractor.UnusableDirectory e = assertThrows(Extractor.UnusableDirectory.class,
                    () -> Extractor.extract(index, indexUrl, mnt, PLATFORM));
            assertTrue(e.getMessage().startsWith("cannot write in " + dir + " (java.nio.file.FileSystemException: " + dir.resolve(".lock")
                    + ": Read-only file system) and " + GLUE + " there is sha256 " + BundleFixture.sha256(bad) + ", the index says "),
                    e.getMessage());
        } finally {
            Files.write(under, good);
        }
    }
}
