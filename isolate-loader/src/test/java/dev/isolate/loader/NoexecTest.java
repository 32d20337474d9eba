package dev.isolate.loader;

import static dev.isolate.loader.BundleFixture.DEP;
import static dev.isolate.loader.BundleFixture.GLUE;
import static dev.isolate.loader.BundleFixture.PLATFORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tmpfs mounted {@code noexec} under the test's work directory (root only: in CI=true a refused mount fails the
 * test, locally it aborts it), where {@code dlopen} fails with "failed to map segment": the loader says so first,
 * naming the directory, the mount and the property to set.
 */
class NoexecTest {
    static Path mnt;
    static Mounts.Mount mount;

    @BeforeAll
    static void mountNoexecTmpfs() {
        mnt = Tools.work("noexec-mnt");
        TestMount.mount(mnt, List.of(List.of("-t", "tmpfs", "-o", "noexec,nosuid,nodev,size=32m", "isolate-noexec", mnt.toString())));
        mount = Mounts.of(mnt).orElseThrow();
        assertEquals(mnt.toString(), mount.mountPoint());
        assertTrue(mount.noexec(), mount.describe());
    }

    @AfterAll
    static void unmount() {
        TestMount.unmount(mnt);
    }

    final Recorder rec = new Recorder();

    @Test
    void theMountReallyForbidsLoading() throws Exception {
        // In another JVM: glibc 2.36 leaves the first segment mapped after this failure, which would keep the mount busy.
        Path lib = Files.copy(BundleFixture.libs().resolve(DEP), mnt.resolve("probe-" + DEP));
        String out = ChildJvm.start(List.of(), BundleFixture.jar("nx-probe-jar"), "direct", lib.toString()).output();
        assertTrue(out.startsWith("error=") && out.contains("failed to map segment from shared object"), out);
    }

    @Test
    void extractingThereIsRefusedWithTheMountAndTheProperty() {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.classpathDir("nx-cp", PLATFORM));
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(cl).extractTo(mnt).load("glue"));
        String index = cl.getResource("native/" + PLATFORM + "/isolate.index").toString();
        Path dir = mnt.resolve(PLATFORM).resolve(e.getMessage().replaceAll(".*/" + PLATFORM + "/([0-9a-f]{32}) .*", "$1"));
        assertEquals("isolate-loader: cannot extract " + index + " for 'glue' for platform " + PLATFORM + " (detected from "
                + Platform.describe() + ", glibc; -Disolate.native.platform overrides): " + dir + " is on a noexec mount " + mnt
                + " (tmpfs isolate-noexec, " + String.join(",", mount.options()) + "), where shared libraries cannot be mapped"
                + " executable [NativeLoader.builder().extractTo(..)]. Set -Disolate.native.dir=DIR (or ISOLATE_NATIVE_DIR=DIR) to a"
                + " directory of this user's on a mount without noexec", e.getMessage());
        assertEquals(List.of(), rec.loaded);
        assertFalse(Files.exists(mnt.resolve(PLATFORM)), "refused before a directory was created on the noexec mount");
    }

    @Test
    void aCacheOnANoexecMountFallsBackToTmpSayingSoAndLeavingNothingThere() {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.classpathDir("nx-fallback-cp", PLATFORM));
        Path tmp = Tools.freshWork("nx-tmp");
        Path xdg = mnt.resolve("cache");
        rec.env.put("XDG_CACHE_HOME", xdg.toString());
        rec.props.put("java.io.tmpdir", tmp.toString());
        rec.props.put("user.name", "tester");
        NativeLibrary lib;
        try (LogCapture log = new LogCapture()) {
            lib = rec.builder(cl).load("glue");
            String index = cl.getResource("native/" + PLATFORM + "/isolate.index").toString();
            Path refused = xdg.resolve("isolate").resolve(PLATFORM).resolve(lib.directory().getFileName());
            assertEquals(List.of("INFO isolate-loader: skipped $XDG_CACHE_HOME/isolate (" + refused + " is on a noexec mount "
                    + mount.describe() + ", where shared libraries cannot be mapped executable); using " + lib.directory()
                    + " (java.io.tmpdir) for " + index + " instead"), log.lines);
        }
        assertTrue(lib.directory().startsWith(tmp.resolve("isolate-tester")), lib.directory().toString());
        assertEquals(List.of(lib.directory().resolve(DEP).toString(), lib.directory().resolve(GLUE).toString()), rec.loaded);
        assertFalse(Files.exists(xdg), "no directory left on the refused mount");
    }

    @Test
    void aPreExtractedDirectoryThereIsRefused() throws IOException {
        Path root = BundleFixture.classpathDir("nx-from-cp", PLATFORM);
        Path pre = Files.createDirectories(mnt.resolve("pre"));
        for (String f : List.of(DEP, GLUE)) {
            Files.copy(BundleFixture.libs().resolve(f), pre.resolve(f));
        }
        rec.props.put("isolate.native.from", pre.toString());
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> rec.builder(BundleFixture.classLoader(root)).load("glue"));
        assertEquals("isolate-loader: cannot load 'glue' for platform " + PLATFORM + " (detected from " + Platform.describe()
                + ", glibc; -Disolate.native.platform overrides) from " + pre + ": it is on a noexec mount " + mount.describe()
                + "; unset -Disolate.native.from or use a directory on a mount without noexec", e.getMessage());
    }
}
