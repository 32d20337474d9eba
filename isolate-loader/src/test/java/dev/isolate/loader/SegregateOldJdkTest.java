package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isolate.engine.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * On JDK 17 (the default test run) segregating is refused in one line naming the JDK it needs, whether the index asks
 * for it or the code does; nothing is loaded, so the same bundle still loads renamed afterwards.
 */
class SegregateOldJdkTest {
    @Test
    void refusedWithTheJdkItNeeds() throws Exception {
        assertEquals(17, Runtime.version().feature(), "this test runs in the JDK 17 surefire execution");
        Path root = BundleFixture.classpathDir("seg-old-jdk", BundleFixture.PLATFORM);
        Path index = root.resolve("native/linux-x86_64/isolate.index");
        String expected = "isolate-loader: cannot segregate 'glue' for platform linux-x86_64 (detected from " + Platform.describe()
                + ", glibc; -Disolate.native.platform overrides) (file:" + index + "): segregated loading needs JDK 22 or later"
                + " (java.lang.foreign), this is JDK " + System.getProperty("java.version") + " at " + System.getProperty("java.home")
                + "; run on JDK 22+ or package the bundle renamed (plugin <mode>rename</mode>)";
        Path x = Tools.freshWork("seg-old-jdk-x");
        NativeLoadError e = assertThrows(NativeLoadError.class,
                () -> NativeLoader.builder().classLoader(BundleFixture.classLoader(root)).extractTo(x).segregate().load("glue"));
        assertEquals(expected, e.getMessage());

        Path seg = BundleFixture.classpathDir("seg-old-jdk-index", BundleFixture.PLATFORM);
        Path segIndex = seg.resolve("native/linux-x86_64/isolate.index");
        Files.writeString(segIndex, BundleFixture.index().replace("# isolate native index 1\n", "# isolate native index 2\nmode\tsegregate\n"),
                StandardCharsets.UTF_8);
        e = assertThrows(NativeLoadError.class, () -> NativeLoader.builder().classLoader(BundleFixture.classLoader(seg)).extractTo(x).load("glue"));
        assertEquals(expected.replace(index.toString(), segIndex.toString()), e.getMessage());
    }
}
