package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Segregated loading for real, on JDK 25 from the multi-release jar (the {@code jdk25} surefire execution). Each
 * bundle here is unmodified libraries and a {@code mode segregate} index, as the plugin writes it.
 */
class SegregateJdk25Test {
    static final class Zstd {
        static native byte[] roundTrip(byte[] in);
    }

    static final class VersionOne {
        static native int version();
    }

    static final class VersionTwo {
        static native int version();
    }

    static final class Cxx {
        static final Set<Integer> CALLED_BACK = ConcurrentHashMap.newKeySet();

        static native int safe_divide(int a, int b);

        static native int twice(int v);

        static native long twice(long v);

        static native int onOwnThread(int v);

        /** Called by the library's own thread, attached to the JVM. */
        static int callback(int v) {
            CALLED_BACK.add(v);
            return v + 1;
        }
    }

    static final class BadVersion {
        static native int answer();
    }

    /**
     * (a) The glue with an unmodified copy of libzstd.so.1, segregated, while the system's libzstd.so.1 is preloaded
     * into the base namespace: the round trip works, both copies are mapped, and LD_DEBUG=bindings shows each of the
     * glue's ZSTD_* bound to the bundled copy inside the glue's own namespace (never [0], never the system copy).
     */
    @Test
    void bundledLibzstdBindsInsideItsNamespaceNextToTheSystemOne() throws Exception {
        Path work = Tools.freshWork("seg-zstd");
        Path root = SegregateFixtures.bundle(work.resolve("cp"), SegregateFixtures.zstd(Files.createDirectories(work.resolve("build"))), "zstd");
        Path debug = work.resolve("ld-debug");
        Tools.Result r = child(List.of("LD_PRELOAD=" + SegregateFixtures.SYSTEM_ZSTD, "LD_DEBUG=bindings", "LD_DEBUG_OUTPUT=" + debug),
                "zstd", root.toString(), work.resolve("x").toString());
        assertTrue(r.out().contains("round trip ok"), r.out() + r.err());
        String dir = line(r.out(), "directory ");
        assertTrue(r.out().contains("map " + SegregateFixtures.SYSTEM_ZSTD), "the system copy is mapped: " + r.out());
        assertTrue(r.out().contains("map " + dir + "/libzstd.so.1"), "the bundled copy is mapped: " + r.out());

        StringBuilder all = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("ld-debug")).toList()) {
                all.append(Files.readString(f));
            }
        }
        Pattern p = Pattern.compile("binding file (\\S+) \\[(\\d+)\\] to (\\S+) \\[(\\d+)\\]: normal symbol `(ZSTD_\\w+)'");
        Set<String> bound = new TreeSet<>();
        Matcher m = p.matcher(all);
        while (m.find()) {
            if (m.group(1).equals(dir + "/libzstdglue.so")) {
                assertEquals(dir + "/libzstd.so.1", m.group(3), m.group());
                assertEquals(m.group(2), m.group(4), "the same namespace: " + m.group());
                assertFalse(m.group(2).equals("0"), "not the base namespace: " + m.group());
                bound.add(m.group(5));
            }
            assertFalse(m.group(1).equals(dir + "/libzstdglue.so") && m.group(3).equals(SegregateFixtures.SYSTEM_ZSTD.toString()), m.group());
        }
        assertEquals(Set.of("ZSTD_compress", "ZSTD_compressBound", "ZSTD_decompress", "ZSTD_isError"), bound);
    }

    /** (b) Two bundles with two versions of libver.so.1 (one SONAME) in one JVM, each answering its own. */
    @Test
    void twoVersionsOfOneLibrarySideBySide() throws Exception {
        Path work = Tools.freshWork("seg-versions");
        Path one = SegregateFixtures.bundle(work.resolve("cp1"), SegregateFixtures.version(Files.createDirectories(work.resolve("b1")), 1), "one");
        Path two = SegregateFixtures.bundle(work.resolve("cp2"), SegregateFixtures.version(Files.createDirectories(work.resolve("b2")), 2), "two");
        NativeLibrary a = NativeLoader.builder().classLoader(BundleFixture.classLoader(one)).extractTo(work.resolve("x"))
                .natives(VersionOne.class).load("verglue");
        NativeLibrary b = NativeLoader.builder().classLoader(BundleFixture.classLoader(two)).extractTo(work.resolve("x"))
                .natives(VersionTwo.class).load("verglue");
        assertFalse(a.directory().equals(b.directory()));
        assertEquals(1, VersionOne.version());
        assertEquals(2, VersionTwo.version());
    }

    /**
     * (c) A C++ library that throws and catches inside itself, called from 16 Java threads at once; overloads bound
     * by their long names, '_' in a name; its JNI_OnLoad ran (it keeps the JavaVM), which its own thread uses to
     * attach and call back into Java.
     */
    @Test
    void cxxExceptionsThreadsAndItsOwnThread() throws Exception {
        Path work = Tools.freshWork("seg-cxx");
        Path lib = SegregateFixtures.build("g++", Files.createDirectories(work.resolve("b")), "libcxx.so", "cxx.cpp", true, "-pthread");
        Path root = SegregateFixtures.bundle(work.resolve("cp"), List.of(new SegregateFixtures.Member(lib, "libcxx.so", "-")), "cxx");
        NativeLoader.builder().classLoader(BundleFixture.classLoader(root)).extractTo(work.resolve("x")).natives(Cxx.class).load("cxx");
        assertEquals(4, Cxx.twice(2));
        assertEquals(6L, Cxx.twice(2L));
        assertEquals(8, Cxx.onOwnThread(7));
        assertEquals(Set.of(7), Cxx.CALLED_BACK);

        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int sum = 0;
                    for (int i = 0; i < 2000; i++) {
                        sum += Cxx.safe_divide(id * 10, i % 2 == 0 ? 0 : 5); // -1 (thrown and caught), then id * 2
                    }
                    return sum + Cxx.onOwnThread(100 + id);
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                assertEquals(1000 * (-1) + 1000 * t * 2 + 100 + t + 1, results.get(t).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(17, Cxx.CALLED_BACK.size());
    }

    /** (d) A JNI_OnLoad returning a version no JVM has is refused, and its natives stay unbound. */
    @Test
    void unsupportedJniVersionRefused() throws Exception {
        Path work = Tools.freshWork("seg-badversion");
        Path lib = SegregateFixtures.build("gcc", Files.createDirectories(work.resolve("b")), "libbadversion.so", "badversion.c", true);
        Path root = SegregateFixtures.bundle(work.resolve("cp"), List.of(new SegregateFixtures.Member(lib, "libbadversion.so", "-")), "bad");
        NativeLoader.Builder b = NativeLoader.builder().classLoader(BundleFixture.classLoader(root)).extractTo(work.resolve("x"))
                .natives(BadVersion.class);
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> b.load("badversion"));
        Path file = work.resolve("x").resolve(BundleFixture.PLATFORM);
        assertTrue(e.getMessage().matches("isolate-loader: unsupported JNI version 0x7fff0000 returned by JNI_OnLoad of "
                + Pattern.quote(file.toString()) + "/[0-9a-f]{32}/libbadversion\\.so \\('badversion' for platform linux-x86_64 \\(.*\\)\\);"
                + " this JVM supports up to 0x00[0-9a-f]{6}"), e.getMessage());
        assertEquals(e.getMessage(), assertThrows(NativeLoadError.class, () -> b.load("badversion")).getMessage(), "the same refusal again");
        assertThrows(UnsatisfiedLinkError.class, BadVersion::answer);
    }

    /** A missing dependency: dlmopen's own text, passed through. */
    @Test
    void dlerrorPassedThrough() throws Exception {
        Path work = Tools.freshWork("seg-dlerror");
        Path b = Files.createDirectories(work.resolve("b"));
        Path ver = SegregateFixtures.build("gcc", b, "libver.so.1", "ver.c", false, "-DVERSION=3");
        Path glue = SegregateFixtures.build("gcc", b, "libverglue.so", "verglue.c", true, ver.toString());
        Path root = SegregateFixtures.bundle(work.resolve("cp"), List.of(new SegregateFixtures.Member(glue, "libverglue.so", "-")), "nodep");
        NativeLoadError e = assertThrows(NativeLoadError.class, () -> NativeLoader.builder().classLoader(BundleFixture.classLoader(root))
                .extractTo(work.resolve("x")).natives(VersionOne.class).load("verglue"));
        assertTrue(e.getMessage().startsWith("isolate-loader: dlmopen(" + work.resolve("x")), e.getMessage());
        assertTrue(e.getMessage().endsWith("/libverglue.so) failed for 'verglue' for platform linux-x86_64 (detected from "
                + Platform.describe() + ", glibc; -Disolate.native.platform overrides), member of file:" + root
                + "/native/linux-x86_64/isolate.index: libver.so.1: cannot open shared object file: No such file or directory"), e.getMessage());
    }

    /**
     * (d) glibc has 16 namespaces, the base one included: 15 bundles load segregated in one JVM, the 16th bundle
     * (namespace 17) is refused with the documented line, and a library of a bundle already loaded still loads
     * (one namespace per bundle).
     */
    @Test
    void seventeenthNamespaceRefused() throws Exception {
        Path work = Tools.freshWork("seg-namespaces");
        Path lib = SegregateFixtures.build("gcc", Files.createDirectories(work.resolve("b")), "libns.so", "ver.c", false, "-DVERSION=0");
        List<String> args = new ArrayList<>(List.of("namespaces", work.resolve("x").toString()));
        for (int i = 1; i <= 16; i++) {
            args.add(SegregateFixtures.bundle(work.resolve("cp" + i), List.of(new SegregateFixtures.Member(lib, "libns.so", "-")), "bundle " + i).toString());
        }
        args.add(work.resolve("cp1").toString());
        Tools.Result r = child(List.of(), args.toArray(String[]::new));
        List<String> lines = r.out().lines().toList();
        assertEquals(17, lines.size(), r.out() + r.err());
        for (int i = 1; i <= 15; i++) {
            assertEquals("loaded " + i, lines.get(i - 1), r.out() + r.err());
        }
        assertTrue(lines.get(15).matches("refused 16: isolate-loader: cannot segregate 'ns' for platform linux-x86_64 \\(.*\\) \\(file:"
                + Pattern.quote(work.resolve("cp16").toString()) + "/native/linux-x86_64/isolate.index\\): it would be link-map namespace 17"
                + " of this process and glibc has 16 \\(DL_NNS: the base one and 15 for dlmopen\\), all in use by the bundles segregated"
                + " before it \\(file:.*/cp1/native/linux-x86_64/isolate.index, .*\\); package this bundle renamed"
                + " \\(plugin <mode>rename</mode>\\) or segregate fewer"), lines.get(15));
        assertEquals("loaded 17", lines.get(16), "a bundle already segregated loads again in its namespace");
    }

    /** {@code env VARS java --enable-native-access=ALL-UNNAMED -cp <loader jar>:<test classes> SegregateMain ARGS}. */
    private static Tools.Result child(List<String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env"));
        cmd.addAll(env);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED", "-Xcheck:jni", "-cp",
                codeSource(NativeLoader.class) + File.pathSeparator + codeSource(SegregateMain.class), SegregateMain.class.getName()));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd, Tools.DEFAULT_TIMEOUT, false);
        assertEquals(0, r.exit(), r.out() + r.err());
        return r;
    }

    private static String codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + " in " + out))
                .substring(prefix.length());
    }
}
