package dev.isolate.loader;

import static dev.isolate.loader.BundleFixture.DEP;
import static dev.isolate.loader.BundleFixture.GLUE;
import static dev.isolate.loader.BundleFixture.PLATFORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loader's choices, with a recording {@code loadWith} instead of {@code System.load} (JniLoadTest and
 * ConcurrencyTest load for real): which bundle, which member, which directory, which order, how often.
 */
class NativeLoaderTest {
    final Recorder rec = new Recorder();

    @Test
    void loadsTheNeedsFirstThenTheLibraryOncePerJvm() {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.classpathDir("ld-order-cp", PLATFORM));
        Path base = Tools.freshWork("ld-order");
        NativeLibrary lib = rec.builder(cl).extractTo(base).load("glue");

        Path dir = lib.directory();
        assertTrue(dir.startsWith(base.resolve(PLATFORM)), dir.toString());
        assertEquals(List.of(dir.resolve(DEP).toString(), dir.resolve(GLUE).toString()), rec.loaded);
        assertEquals(dir.resolve(GLUE), lib.path());
        assertEquals(List.of(dir.resolve(DEP), dir.resolve(GLUE)), lib.loadOrder());
        assertEquals(List.of(dir.resolve(DEP), dir.resolve(GLUE)), lib.extracted());
        assertEquals(PLATFORM, lib.platform());

        NativeLibrary again = rec.builder(cl).extractTo(base).load("libglue.so");
        assertEquals(2, rec.loaded.size(), "nothing loaded twice: " + rec.loaded);
        assertEquals(List.of(), again.extracted());
        assertEquals(lib.path(), again.path());

        NativeLibrary dep = rec.builder(cl).extractTo(base).load("dep"); // by its original name libdep.so.1
        assertEquals(dir.resolve(DEP), dep.path());
        assertEquals(List.of(dir.resolve(DEP)), dep.loadOrder());
        assertEquals(2, rec.loaded.size());
    }

    @Test
    void namesByFileSonameOrOriginal() {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.classpathDir("ld-names-cp", PLATFORM));
        Path base = Tools.freshWork("ld-names");
        for (String name : List.of("libdep.so.1", "acme_dep", DEP, "dep")) {
            assertEquals(DEP, rec.builder(cl).extractTo(base).load(name).path().getFileName().toString(), name);
        }
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).extractTo(base).load("zstd"));
        assertEquals("isolate-loader: no library matches 'zstd' for platform " + PLATFORM + " (detected from " + Platform.describe()
                + ", glibc; -Disolate.native.platform overrides) in " + cl.getResource("native/" + PLATFORM + "/isolate.index")
                + " (members: " + DEP + ", " + GLUE + "); name one by file name, soname or original name", e.getMessage());
        e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).load("../glue"));
        assertEquals("isolate-loader: '../glue' is not a library name: give a member's file name, soname or original name"
                + " (libglue.so), or glue for libglue.so", e.getMessage());
    }

    @Test
    void aVersionedJniLibraryByItsNameAloneAndAnUnversionedOneFirst() throws IOException {
        // zstd-jni's library as isolated: a new file name, the published one as original.
        Path root = BundleFixture.classpathDir("ld-versioned-cp", PLATFORM);
        Path dir = root.resolve("native").resolve(PLATFORM);
        String zstd = "libzjx_zstd-jni-1.5.7-21.so";
        Files.copy(BundleFixture.libs().resolve(GLUE), dir.resolve(zstd));
        Files.copy(BundleFixture.libs().resolve(GLUE), dir.resolve("libfoo-2.so"));
        Files.copy(BundleFixture.libs().resolve(DEP), dir.resolve("libfoo.so"));
        Files.writeString(dir.resolve("isolate.index"), BundleFixture.index()
                + BundleFixture.line(dir.resolve(zstd), "-", "libzstd-jni-1.5.7-21.so", "-")
                + BundleFixture.line(dir.resolve("libfoo-2.so"), "-", "libfoo-2.so", "-")
                + BundleFixture.line(dir.resolve("libfoo.so"), "-", "libfoo.so", "-"));
        URLClassLoader cl = BundleFixture.classLoader(root);
        Path base = Tools.freshWork("ld-versioned");
        for (String name : List.of("zstd-jni", "zstd-jni-1.5.7-21", "libzstd-jni-1.5.7-21.so", zstd)) {
            assertEquals(zstd, rec.builder(cl).extractTo(base).load(name).path().getFileName().toString(), name);
        }
        assertEquals("libfoo.so", rec.builder(cl).extractTo(base).load("foo").path().getFileName().toString(),
                "lib<name>.so before lib<name>-<version>.so");
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).extractTo(base).load("zstd"));
        assertTrue(e.getMessage().startsWith("isolate-loader: no library matches 'zstd' for platform " + PLATFORM), e.getMessage());
    }

    @Test
    void twoBundlesOnTheClassPath() throws IOException {
        Path one = BundleFixture.classpathDir("ld-two-a", PLATFORM);
        Path other = BundleFixture.classpathDir("ld-two-b", PLATFORM);
        Path base = Tools.freshWork("ld-two");
        // The same bundle twice (a jar on the class path twice) is one bundle.
        assertEquals(GLUE, rec.builder(BundleFixture.classLoader(one, other)).extractTo(base).load("glue").path().getFileName().toString());

        // A second, different bundle with a libdep of its own: "dep" is ambiguous, the file name is not.
        Path dir = other.resolve("native").resolve(PLATFORM);
        Files.copy(BundleFixture.libs().resolve(DEP), dir.resolve("libbeta_dep.so.1"));
        Files.writeString(dir.resolve("isolate.index"), "# isolate native index 1\n"
                + BundleFixture.line(dir.resolve("libbeta_dep.so.1"), "libbeta_dep.so.1", "libdep.so.1", "-"));
        URLClassLoader cl = BundleFixture.classLoader(one, other);
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).extractTo(base).load("dep"));
        assertEquals("isolate-loader: 'dep' for platform " + PLATFORM + " (detected from " + Platform.describe()
                + ", glibc; -Disolate.native.platform overrides) is ambiguous: it matches " + DEP + " (" + one.resolve("native/" + PLATFORM
                + "/isolate.index").toUri().toURL() + ":3), libbeta_dep.so.1 (" + dir.resolve("isolate.index").toUri().toURL()
                + ":2); use the file name", e.getMessage());
        NativeLibrary beta = rec.builder(cl).extractTo(base).load("libbeta_dep.so.1");
        assertEquals("libbeta_dep.so.1", beta.path().getFileName().toString());
        assertTrue(!beta.directory().equals(rec.builder(cl).extractTo(base).load(DEP).directory()), "each bundle its own directory");
    }

    @Test
    void noBundleForThisPlatformSaysWhichExist() {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.classpathDir("ld-noplat-cp", "linux-aarch_64"));
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).load("glue"));
        assertEquals("isolate-loader: no native/" + PLATFORM + "/isolate.index visible to class loader " + cl + " for 'glue' for"
                + " platform " + PLATFORM + " (detected from " + Platform.describe() + ", glibc; -Disolate.native.platform overrides);"
                + " bundles on the class path: linux-aarch_64. Add the jar built for " + PLATFORM
                + " to the class path, or set -Disolate.native.platform", e.getMessage());

        // Asked for explicitly, the aarch_64 bundle is used (loading it would fail here; recording it does not).
        Path base = Tools.freshWork("ld-noplat");
        assertEquals("linux-aarch_64", rec.builder(cl).extractTo(base).platform("linux-aarch_64").load("glue").platform());
        rec.props.put("isolate.native.platform", "linux-aarch_64");
        NativeLibrary lib = rec.builder(cl).extractTo(base).load("glue");
        assertTrue(lib.directory().startsWith(base.resolve("linux-aarch_64")), lib.directory().toString());
    }

    @Test
    void theDefaultDirectoriesAndTheFallback() throws IOException {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.classpathDir("ld-fallback-cp", PLATFORM));
        Path work = Tools.freshWork("ld-fallback");
        Path notADir = Files.writeString(work.resolve("home-is-a-file"), "");
        rec.props.put("user.home", notADir.toString());
        rec.props.put("java.io.tmpdir", work.resolve("tmp").toString());
        rec.props.put("user.name", "tester");
        NativeLibrary lib = rec.builder(cl).load("glue");
        assertTrue(lib.directory().startsWith(work.resolve("tmp/isolate-tester/" + PLATFORM)), lib.directory().toString());

        // Everything unusable: one line naming every directory tried, why, and what to set.
        rec.props.put("java.io.tmpdir", notADir.toString());
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).load("glue"));
        String m = e.getMessage();
        assertTrue(m.startsWith("isolate-loader: cannot extract " + cl.getResource("native/" + PLATFORM + "/isolate.index")
                + " for 'glue' for platform " + PLATFORM), m);
        assertTrue(m.contains("cannot create " + notADir + "/.cache/isolate/" + PLATFORM + "/"), m);
        assertTrue(m.contains("[~/.cache/isolate]; cannot create " + notADir + "/isolate-tester/" + PLATFORM + "/"), m);
        assertTrue(m.endsWith("[java.io.tmpdir]. Set -Disolate.native.dir=DIR (or ISOLATE_NATIVE_DIR=DIR) to a directory of this"
                + " user's on a mount without noexec"), m);
        assertTrue(!m.contains("\n"), "one line");

        // A named directory is used alone, without falling back.
        rec.props.put("java.io.tmpdir", work.resolve("tmp").toString());
        rec.props.put("isolate.native.dir", notADir.toString());
        e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).load("glue"));
        assertTrue(e.getMessage().contains("[system property isolate.native.dir]. Set -Disolate.native.dir"), e.getMessage());
        rec.props.remove("isolate.native.dir");
        rec.env.put("ISOLATE_NATIVE_DIR", work.resolve("env").toString());
        assertTrue(rec.builder(cl).load("glue").directory().startsWith(work.resolve("env")));
    }

    @Test
    void skipLoadsNothing() {
        ClassLoader none = BundleFixture.classLoader(); // not even a bundle: the application brings its own libraries
        NativeLibrary lib = rec.builder(none).skipLoad().load("glue");
        assertTrue(lib.skipped());
        rec.props.put("isolate.native.skip", "true");
        assertTrue(rec.builder(none).load("glue").skipped());
        assertEquals(List.of(), rec.loaded);
    }

    @Test
    void fromAnExtractedDirectory() throws IOException {
        Path root = BundleFixture.classpathDir("ld-from-cp", PLATFORM);
        Path unpacked = root.resolve("native").resolve(PLATFORM); // an unpacked jar: has its own isolate.index
        NativeLibrary lib = rec.builder(BundleFixture.classLoader()).fromDirectory(unpacked).load("glue");
        assertEquals(List.of(unpacked.resolve(DEP).toString(), unpacked.resolve(GLUE).toString()), rec.loaded);
        assertEquals(List.of(), lib.extracted());

        // Without its own index the class path's says what the files must be; a changed file is refused.
        Path copy = Tools.freshWork("ld-from-copy");
        Files.copy(BundleFixture.libs().resolve(DEP), copy.resolve(DEP));
        Files.write(copy.resolve(GLUE), Files.readAllBytes(BundleFixture.libs().resolve(DEP)));
        URLClassLoader cl = BundleFixture.classLoader(root);
        rec.props.put("isolate.native.from", copy.toString());
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).load("glue"));
        assertEquals("isolate-loader: cannot load 'glue' for platform " + PLATFORM + " (detected from " + Platform.describe()
                + ", glibc; -Disolate.native.platform overrides): " + copy.resolve(GLUE) + " is " + Files.size(copy.resolve(GLUE))
                + " bytes, the index says " + Files.size(BundleFixture.libs().resolve(GLUE)) + " (" + cl.getResource("native/" + PLATFORM
                + "/isolate.index") + ":4); the directory given by -Disolate.native.from or fromDirectory(..) must hold the bundle's"
                + " files unchanged", e.getMessage());
        assertEquals(DEP, rec.builder(cl).load("dep").path().getFileName().toString(), "an intact member still loads");
    }

    @Test
    void extractToAndFromDirectoryExcludeEachOther() {
        assertThrows(IllegalStateException.class, () -> NativeLoader.builder().extractTo(Path.of("a")).fromDirectory(Path.of("b")).load("x"));
    }
}
