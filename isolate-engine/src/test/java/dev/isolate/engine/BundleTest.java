package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks.StripTool;
import dev.isolate.engine.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Isolating a bundle after linking (issue 4): a JNI glue with a bundled zlib-alike, proven in a JVM that has
 * the system zlib loaded; a glue with a bundled copy of the real libzstd, proven in a process that has the
 * system libzstd loaded RTLD_GLOBAL. Fixtures: {@code src/test/c/bundle/}.
 */
class BundleTest {
    static final String BUNDLED_VERSION = "1.2.3-bundled-by-isolate";
    static final Path SYSTEM_ZSTD = Path.of("/usr/lib/x86_64-linux-gnu/libzstd.so.1");
    static Path fixtures;
    static BundleReport z;
    static BundleReport zstd;

    @BeforeAll
    static void isolateBothBundles() throws IOException {
        Tools.require("readelf", "eu-elflint");
        Tools.requireFile(SYSTEM_ZSTD, "libzstd1");
        fixtures = Tools.fixtures();
        z = isolate(List.of(zfix("libz.so.1"), zfix("libzglue.so")), Tools.freshWork("bundle/z"));
        zstd = isolate(List.of(zsfix("libzstd.so.1"), zsfix("libzsglue.so")), Tools.freshWork("bundle/zstd"));
    }

    static Path zfix(String name) {
        return fixtures.resolve("bundle-z").resolve(name);
    }

    static Path zsfix(String name) {
        return fixtures.resolve("bundle-zstd").resolve(name);
    }

    static BundleReport isolate(List<Path> inputs, Path out) throws IOException {
        return Isolator.isolate(new BundleRequest(inputs, out, Checks.PREFIX, Map.of(), List.of(), false, Set.of(),
                BundleRequest.ORIGIN, Map.of()));
    }

    static Path output(BundleReport r, int member) {
        return r.members().get(member).output();
    }

    // ---- the JVM case --------------------------------------------------------------------------------------

    /** Runs {@link BundleProbe} in a fresh JVM that System.loads {@code libs} in order; returns its stdout lines. */
    static List<String> probe(Path... libs) {
        Path classes;
        try {
            classes = Path.of(BundleProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes.toString(), BundleProbe.class.getName()));
        for (Path l : libs) {
            cmd.add(l.toAbsolutePath().toString());
        }
        return Tools.run(cmd, Tools.DEFAULT_TIMEOUT, false).ok().out().lines().toList();
    }

    static String line(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + key + "' line in " + lines));
    }

    @Test
    void controlTheUnisolatedGlueInAJvmGetsTheSystemZlib() {
        List<String> out = probe(zfix("libzglue.so"));
        String version = line(out, "version");
        assertNotEquals(BUNDLED_VERSION, version,
                "the glue as built, loaded beside its bundled libz.so.1 in a JVM, reaches the JVM's zlib (the clash)");
        assertTrue(version.matches("1\\.\\d+\\.\\d+.*"), "a real zlib version string: " + version);
        assertEquals("zip ok", out.get(out.size() - 1));
    }

    @Test
    void theIsolatedGlueInAJvmGetsItsBundledCopyAndJavaUtilZipStillWorks() {
        Path glue = output(z, 1);
        assertEquals("libzglue.so", glue.getFileName().toString(), "the JNI library keeps its file name");
        List<String> out = probe(glue); // its DT_NEEDED libacme_z.so.1 is found through DT_RUNPATH $ORIGIN
        assertEquals(BUNDLED_VERSION, line(out, "version"), "zlibVersion() as the isolated glue sees it");
        String[] crc = line(out, "crc").split(" ");
        assertEquals(crc[1], crc[0], "crc32 of the bundled copy vs java.util.zip.CRC32");
        assertEquals("zip ok", out.get(out.size() - 1), "java.util.zip in the same JVM: " + out);
    }

    @Test
    void membersCanAlsoBeLoadedOneByOneInDependencyOrder() {
        List<String> out = probe(output(z, 0), output(z, 1));
        assertEquals(BUNDLED_VERSION, line(out, "version"));
    }

    @Test
    void referencesBetweenMembersFollowTheRenames() {
        Path glue = output(z, 1);
        String dyn = Checks.readelf("-dW", glue.toString());
        assertTrue(dyn.contains("Shared library: [libacme_z.so.1]"), "DT_NEEDED of the glue:\n" + dyn);
        assertFalse(dyn.contains("[libz.so.1]"), "no DT_NEEDED libz.so.1 left:\n" + dyn);
        assertTrue(dyn.contains("Library runpath: [$ORIGIN]"), "DT_RUNPATH:\n" + dyn);
        assertTrue(dyn.contains("Library soname: [libzglue.so]"), "the JNI library keeps its SONAME:\n" + dyn);
        String ver = Checks.versionInfo(glue);
        assertTrue(ver.contains("File: libacme_z.so.1"), "Verneed vn_file follows DT_NEEDED:\n" + ver);
        List<String> syms = Checks.dynSyms(glue);
        for (String name : List.of("acme_zlibVersion", "acme_crc32")) {
            String s = Checks.dynSym(syms, name);
            assertTrue(s != null && s.contains(" UND ") && s.contains("@ZLIB_1.2.0"), name + "@ZLIB_1.2.0 undefined in the glue: " + s);
        }
        assertTrue(Checks.dynSym(syms, "zlibVersion") == null, "no reference to zlibVersion left: " + syms);
        assertTrue(Checks.dynSym(syms, "Java_dev_isolate_engine_BundleProbe_zlibVersion") != null, "JNI names kept: " + syms);
        assertTrue(Checks.dynSym(syms, "acme_zglue_calls") != null, "the glue's other exports follow the policy: " + syms);
        Report glueReport = z.members().get(1);
        assertEquals(2, glueReport.links().imports().size(), "imports renamed: " + glueReport.links().imports());
        assertEquals(Map.of("libz.so.1", "libacme_z.so.1"), glueReport.links().needed());
    }

    // ---- the global-scope case -----------------------------------------------------------------------------

    /** The bindings of {@code LD_DEBUG=bindings}, with the paths as strings (real paths, as ld.so prints them). */
    record Binding(String from, String to, String symbol) {}

    static List<Binding> bindings(String ldDebug) {
        return Consumers.bindings(ldDebug).stream().map(b -> new Binding(b.from().toString(), b.to().toString(), b.symbol())).toList();
    }

    /** {@code LD_DEBUG=bindings cohabit glue prefix}: the output lines and the bindings. */
    static Tools.Result cohabit(Path glue, String prefix) {
        Path exe = fixtures.resolve("cohabit");
        return Tools.run(List.of("env", "LD_DEBUG=bindings", "LD_BIND_NOW=1", exe.toString(), Consumers.realPath(glue).toString(),
                prefix), Tools.DEFAULT_TIMEOUT, false);
    }

    @Test
    void controlAGlueBesideTheSystemLibzstdLoadedGloballyBindsToTheSystemCopy() {
        Tools.Result r = cohabit(zsfix("libzsglue.so"), "");
        assertEquals(0, r.exit(), r.describe());
        List<Binding> glue = bindings(r.err()).stream().filter(b -> b.from().endsWith("/libzsglue.so")
                && b.symbol().startsWith("ZSTD_compress")).toList();
        assertFalse(glue.isEmpty(), "the glue binds ZSTD_compress somewhere:\n" + Tools.tail(r.err(), 3000));
        assertTrue(glue.stream().allMatch(b -> b.to().contains("/usr/lib/") || b.to().contains("/lib/x86_64-linux-gnu/")),
                "without isolation the glue's ZSTD_compress binds to the system copy (the clash): " + glue);
    }

    @Test
    void eachCallerReachesItsOwnCopyWithTheSystemLibzstdLoadedGlobally() {
        Path glue = output(zstd, 1);
        Path mine = Consumers.realPath(output(zstd, 0));
        Tools.Result r = cohabit(glue, Checks.PREFIX);
        assertEquals(0, r.exit(), r.describe());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() == 2 && lines.get(0).startsWith("system ") && lines.get(0).endsWith(" ok")
                && lines.get(1).startsWith("glue ") && lines.get(1).endsWith(" ok"), "both compress and decompress: " + lines);
        List<Binding> all = bindings(r.err());
        List<Binding> fromGlue = all.stream().filter(b -> b.from().equals(Consumers.realPath(glue).toString())
                && b.symbol().contains("ZSTD_")).toList();
        assertEquals(Set.of("acme_ZSTD_compress", "acme_ZSTD_decompress", "acme_ZSTD_isError", "acme_ZSTD_versionNumber"),
                Set.copyOf(fromGlue.stream().map(Binding::symbol).toList()), "the glue's ZSTD bindings: " + fromGlue);
        for (Binding b : fromGlue) {
            assertTrue(b.symbol().startsWith("acme_ZSTD_") && b.to().equals(mine.toString()),
                    "the glue binds only prefixed names, to its bundled copy " + mine + ": " + b);
        }
        List<Binding> fromMain = all.stream().filter(b -> b.symbol().startsWith("ZSTD_") && !b.from().equals(Consumers.realPath(glue).toString()))
                .toList();
        assertFalse(fromMain.isEmpty(), "the process's own lookups of ZSTD_ names: " + Tools.tail(r.err(), 2000));
        for (Binding b : fromMain) {
            assertFalse(b.to().equals(mine.toString()), "an original name bound to the isolated copy: " + b);
        }
        assertTrue(all.stream().noneMatch(b -> b.symbol().startsWith("acme_") && !b.to().equals(mine.toString())
                && !b.to().equals(Consumers.realPath(glue).toString())), "prefixed names bind only inside the bundle: " + all);
    }

    // ---- determinism, refusal, warnings, lint ----------------------------------------------------------------

    @Test
    void theSameBundleIsolatedTwiceGivesTheSameBytes() throws IOException {
        BundleReport again = isolate(List.of(zfix("libz.so.1"), zfix("libzglue.so")), Tools.freshWork("bundle/z-again"));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(Files.readAllBytes(output(z, i)), Files.readAllBytes(output(again, i)), "member " + i + " bytes");
        }
    }

    @Test
    void anIsolatedBundleIsRefusedAndNothingIsWritten() throws IOException {
        Path out = Tools.freshWork("bundle/twice");
        IsolateException e = assertThrows(IsolateException.class, () -> isolate(List.of(output(z, 0), output(z, 1)), out));
        assertTrue(e.getMessage().contains("already isolated"), e.getMessage());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "nothing written after a refusal");
        }
    }

    @Test
    void aMemberNeedingAnUnbundledLibraryIsWarnedAndWerrorRefusesIt() throws IOException {
        // The zlib glue bundled with libzstd but without its libz.so.1.
        List<Path> inputs = List.of(zsfix("libzstd.so.1"), zfix("libzglue.so"));
        Path out = Tools.freshWork("bundle/unbundled");
        BundleReport r = isolate(inputs, out);
        assertEquals(List.of("libz.so.1"), r.members().get(1).links().unbundled());
        assertEquals(List.of(), r.members().get(0).links().unbundled(), "libc is a system library");
        Path strict = Tools.freshWork("bundle/unbundled-werror");
        IsolateException e = assertThrows(IsolateException.class, () -> Isolator.isolate(new BundleRequest(inputs, strict,
                Checks.PREFIX, Map.of(), List.of(), true, Set.copyOf(List.of(dev.isolate.engine.policy.WarningCategory.values())
                        .stream().filter(c -> c != dev.isolate.engine.policy.WarningCategory.UNBUNDLED_DEPENDENCY).toList()),
                BundleRequest.ORIGIN, Map.of())));
        assertTrue(e.getMessage().contains("unbundled-dependency") && e.getMessage().contains("libz.so.1"), e.getMessage());
    }

    static Stream<Arguments> membersAndStripTools() {
        List<Arguments> out = new ArrayList<>();
        for (String bundle : List.of("z", "zstd")) {
            for (int m = 0; m < 2; m++) {
                for (StripTool t : StripTool.values()) {
                    out.add(Arguments.of(bundle, m, t));
                }
            }
        }
        return out.stream();
    }

    static BundleReport bundle(String name) {
        return name.equals("z") ? z : zstd;
    }

    @ParameterizedTest(name = "{0} member {1}")
    @MethodSource("membersAndStripTools")
    void everyMemberLintsCleanAndSurvivesStrip(String bundle, int member, StripTool tool) throws IOException {
        Report r = bundle(bundle).members().get(member);
        if (tool == StripTool.STRIP) { // once per member
            Lint.assertNoNewMessages(r.input(), r.output(), Checks.PREFIX);
        }
        Path dir = Tools.freshWork("bundle-strip/" + bundle + "-" + member + "-" + tool);
        for (Report sibling : bundle(bundle).members()) { // $ORIGIN: the stripped member finds the others here
            Files.copy(sibling.output(), dir.resolve(sibling.output().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Checks.assertSurvivesStrip(Target.X86_64, r.input(), r.output(), tool, dir);
    }

    @Test
    void theCommandLineIsolatesABundle() {
        Path out = Tools.freshWork("bundle/cli");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"isolate", zfix("libz.so.1").toString(), zfix("libzglue.so").toString(), "-o",
            out.toString(), "--prefix", "acme_"}, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(0, code, o + "\n" + e);
        assertTrue(Files.isRegularFile(out.resolve("libacme_z.so.1")) && Files.isRegularFile(out.resolve("libzglue.so")), o.toString());
        assertTrue(o.toString().contains("2 imports and 1 DT_NEEDED follow the bundle"), o.toString());

        int usage = Main.run(new String[] {"isolate", zfix("libz.so.1").toString(), zfix("libzglue.so").toString(), "-o",
            out.toString(), "--prefix", "acme_", "--soname", "libfoo.so.1"}, new PrintStream(o), new PrintStream(e));
        assertEquals(2, usage, "--soname without OLD= with two inputs is a usage error");
    }
}
