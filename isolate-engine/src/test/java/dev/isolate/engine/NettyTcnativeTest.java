package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.SkipReason;
import dev.isolate.engine.policy.WarningCategory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real netty-tcnative-boringssl-static 2.0.84.Final (linux-x86_64, a test dependency from Maven Central): its
 * library defines weak fallbacks of glibc functions ({@code __strdup}, {@code __isinf}, {@code __isnan},
 * {@code fopen64}, {@code __getauxval}), the first four {@code jmp .}. Isolated, they keep their names with a
 * {@code weak-override} warning, and the copy, under a shaded file name with the classes relocated to match (as
 * a shading build does), loads in a real JVM and answers through its natives. Renamed (before the C runtime list
 * came from the Debian packages), System.load never returned: the child JVM's timeout fails the test.
 */
class NettyTcnativeTest {
    static final String LIBRARY = "META-INF/native/libnetty_tcnative_linux_x86_64.so";
    static final String PACKAGE = "io/netty/internal/tcnative/";
    static final String SHADED_NAME = "libshaded_netty_tcnative_linux_x86_64.so";
    static final String SHADED_SSL = "shaded.io.netty.internal.tcnative.SSL";

    static Path work;
    static Path input;
    static String classpath;

    @BeforeAll
    static void extractAndRelocate() throws IOException, URISyntaxException {
        work = Tools.freshWork("netty-tcnative");
        ClassLoader cl = NettyTcnativeTest.class.getClassLoader();
        input = work.resolve("libnetty_tcnative_linux_x86_64.so");
        try (InputStream in = cl.getResourceAsStream(LIBRARY)) {
            assertNotNull(in, LIBRARY + " on the test classpath (io.netty:netty-tcnative-boringssl-static:2.0.84.Final:linux-x86_64)");
            Files.copy(in, input);
        }
        URL ssl = cl.getResource(PACKAGE + "SSL.class");
        assertNotNull(ssl, PACKAGE + "SSL.class on the test classpath (io.netty:netty-tcnative-classes:2.0.84.Final)");
        String jar = ssl.toString().replaceFirst("^jar:", "").replaceFirst("!/.*$", "");
        Path classes = work.resolve("shaded-classes");
        try (InputStream in = Files.newInputStream(Path.of(new URL(jar).toURI()))) {
            int n = ClassRelocator.relocate(in, PACKAGE, "shaded", classes);
            assertTrue(n > 10, n + " classes relocated from " + jar);
        }
        classpath = WeakFallbackTest.testClasses() + File.pathSeparator + classes;
    }

    private static Tools.Result loadShaded(Path library, String dir) throws IOException {
        Path shaded = Files.copy(library, Files.createDirectories(work.resolve(dir)).resolve(SHADED_NAME));
        return WeakFallbackTest.load(classpath, NettyTcnativeMain.class.getName(), shaded, SHADED_SSL);
    }

    @Test
    void theWeakFallbacksAreKeptAndTheIsolatedCopyLoadsUnderAShadedName() throws IOException {
        String expected = "loaded; " + SHADED_SSL + ".versionString() = BoringSSL";
        Tools.Result original = loadShaded(input, "original");
        assertTrue(original.exit() == 0 && original.out().contains(expected), "the original, shaded: " + original.describe());

        // SONAME libnetty_tcnative-@VERSION@.so: no name derives from it, so both are given.
        Report r = Isolator.isolate(new BundleRequest(List.of(input), work.resolve("isolated"), "acme_",
                Map.of(input.getFileName().toString(), "libnetty_tcnative_linux_x86_64.so"), List.of(), false, Set.of(), null,
                Map.of(input.getFileName().toString(), "netty_tcnative"))).members().get(0);
        Tools.Result copy = loadShaded(r.output(), "copy");
        assertEquals(0, copy.exit(), "the isolated copy, shaded: " + copy.describe());
        assertTrue(copy.out().contains(expected), "the isolated copy answers as the original: " + copy.describe());

        // Why: kept, warned about.
        for (String name : List.of("__strdup", "__isinf", "__isnan", "fopen64", "__getauxval")) {
            Export e = WeakFallbackTest.kept(r, name);
            assertEquals(SkipReason.WEAK_OVERRIDE, e.reason(), "why " + name + " is kept");
            assertEquals(List.of(WarningCategory.WEAK_OVERRIDE), e.warnings(), "warnings of " + name);
        }
        assertEquals(List.of("__isinf", "__getauxval", "__strdup", "fopen64", "__isnan"),
                r.classification().warnings().get(WarningCategory.WEAK_OVERRIDE).stream().map(Export::name).toList(),
                "weak-override warnings, in .dynsym order");
    }
}
