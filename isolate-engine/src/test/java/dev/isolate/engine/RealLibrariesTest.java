package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.isolate.engine.Checks.StripTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The system libraries of a Debian 12 machine with a JDK, each isolated once (cached for the class): the
 * new names resolve and the old do not, versions, eu-elflint and strip tools, reproducibility.
 * {@link Aarch64RealLibrariesTest} runs the same on Debian's arm64 builds of zlib and zstd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealLibrariesTest {
    static final Path LIBDIR = Path.of("/usr/lib/x86_64-linux-gnu");

    /** Library file -> Debian package. */
    static final Map<String, String> LIBRARIES = Map.of("libzstd.so.1", "libzstd1", "libz.so.1", "zlib1g", "libcrypto.so.3",
            "libssl3", "libstdc++.so.6", "libstdc++6", "libsqlite3.so.0", "libsqlite3-0", "libLLVM-15.so.1", "libllvm15",
            "libjansson.so.4", "libjansson4");

    /** The architecture of the libraries, and the loader and tools that check them. */
    Target target() {
        return Target.X86_64;
    }

    Stream<String> libraries() {
        // libjansson: its BASE version definition shares its Verdaux with the version named like the SONAME
        return Stream.of("libzstd.so.1", "libz.so.1", "libcrypto.so.3", "libstdc++.so.6", "libsqlite3.so.0", "libLLVM-15.so.1",
                "libjansson.so.4");
    }

    Stream<Arguments> librariesAndStripTools() {
        return libraries().flatMap(l -> Stream.of(StripTool.values()).map(t -> Arguments.of(l, t)));
    }

    record Isolated(Path input, Path output, Report report) {}

    /** By target and library file. */
    private static final Map<String, Isolated> CACHE = new ConcurrentHashMap<>();

    @BeforeAll
    void tools() {
        Tools.require("readelf", "eu-elflint");
        target().fixtures();
    }

    Path input(String lib) {
        Path p = LIBDIR.resolve(lib);
        Tools.requireFile(p, LIBRARIES.get(lib));
        return p;
    }

    /** {@code <work>/<dir>/<arch>/<file>}: scratch files of this target. */
    Path work(String dir, String file) {
        return Tools.work(dir + "/" + target()).resolve(file);
    }

    /** The library isolated with prefix acme_ into {@code <work>/real/<arch>/<lib>/}, once per JVM. */
    Isolated isolated(String lib) throws IOException {
        synchronized (CACHE) {
            String key = target() + "/" + lib;
            Isolated cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
            Path in = input(lib);
            Path dir = Tools.freshWork("real/" + key);
            Report r = Checks.isolate(in, dir, Checks.PREFIX);
            Isolated i = new Isolated(in, r.output(), r);
            CACHE.put(key, i);
            return i;
        }
    }

    /** {@code libzstd.so.1} -> {@code libacme_zstd.so.1}, from the input's DT_SONAME per readelf. */
    static String expectedSoname(Path input) {
        String old = Checks.soname(input);
        assertEquals(true, old != null && old.startsWith("lib"), "DT_SONAME of " + input + " starts with lib: " + old);
        return "lib" + Checks.PREFIX + old.substring(3);
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void outputIsNamedAfterTheNewSoname(String lib) throws IOException {
        Isolated i = isolated(lib);
        String expected = expectedSoname(i.input());
        Checks.assertSoname(i.input(), i.report(), expected);
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void newNamesResolveIntoTheOutputAndOldNamesDoNot(String lib) throws IOException {
        Isolated i = isolated(lib);
        assertFalse(i.report().classification().renamed().isEmpty(), "renamed exports of " + lib);
        Checks.assertDlcheck(target(), i.output(), Checks.nameLines(i.report()), work("real", lib + ".names"));
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void versionSetsAreKept(String lib) throws IOException {
        Isolated i = isolated(lib);
        Checks.assertVersionsKept(i.input(), i.output(), i.report().newSoname());
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void eulintReportsNothingNew(String lib) throws IOException {
        Isolated i = isolated(lib);
        Lint.assertNoNewMessages(i.input(), i.output(), Checks.PREFIX);
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void loadSegmentsStaySane(String lib) throws IOException {
        Isolated i = isolated(lib);
        Checks.assertLoadsSane(i.output());
        Checks.assertPagesRespected(i.input(), i.output(), target().pageSize);
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void dynamicRelocationsFollowTheirSymbols(String lib) throws IOException {
        Isolated i = isolated(lib);
        Checks.assertRelocationsFollowRenames(i.input(), i.output(), i.report(), FixturesTest.dynamicRelocationSections(i.input()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("librariesAndStripTools")
    void survivesStripTools(String lib, StripTool tool) throws IOException {
        Isolated i = isolated(lib);
        Checks.assertSurvivesStrip(target(), i.input(), i.output(), tool, Tools.work("real-strip/" + target()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"libzstd.so.1", "libz.so.1"})
    void sameInputAndOptionsGiveTheSameBytes(String lib) throws IOException {
        Isolated first = isolated(lib);
        Path dir = Tools.freshWork("real-again/" + target() + "/" + lib);
        Report again = Checks.isolate(first.input(), dir, Checks.PREFIX);
        assertEquals(first.output().getFileName(), again.output().getFileName(), "output file names of two runs on " + lib);
        assertArrayEquals(Files.readAllBytes(first.output()), Files.readAllBytes(again.output()),
                "bytes of " + first.output() + " and " + again.output() + " (same input, same options)");
        for (String artifact : again.library().artifacts().all()) {
            Path a = first.output().resolveSibling(artifact);
            Path b = again.output().resolveSibling(artifact);
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "bytes of " + a + " and " + b + " (same input, same options)");
        }
    }
}
