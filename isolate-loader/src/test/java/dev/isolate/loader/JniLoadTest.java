package dev.isolate.loader;

import static dev.isolate.loader.BundleFixture.DEP;
import static dev.isolate.loader.BundleFixture.GLUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one test that loads into this JVM: the bundle in a jar, through the loader's own {@code System.load}, then a
 * JNI call into libglue.so that calls libacme_dep.so.1. libglue.so has no RUNPATH, so it loads only if its
 * dependency was loaded first.
 */
class JniLoadTest {
    @Test
    void loadsFromAJarAndCallsTheJniFunction() throws IOException {
        ClassLoader cl = BundleFixture.classLoader(BundleFixture.jar("jni-jar"));
        Path base = Tools.freshWork("jni");
        NativeLibrary lib = NativeLoader.builder().classLoader(cl).extractTo(base).load("glue");
        assertEquals(42, Glue.mul(6, 7));
        assertEquals(-12, Glue.mul(-3, 4));

        Path dir = lib.directory();
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (Path p : List.of(dir.resolve(DEP), dir.resolve(GLUE))) {
            assertTrue(maps.stream().anyMatch(l -> l.endsWith(" " + p)), "/proc/self/maps maps " + p);
        }

        NativeLibrary again = NativeLoader.builder().classLoader(cl).extractTo(base).load(GLUE);
        assertEquals(List.of(), again.extracted(), "the second load is a no-op");
        assertEquals(lib.path(), again.path());
        assertEquals(42, Glue.mul(6, 7));
    }
}
