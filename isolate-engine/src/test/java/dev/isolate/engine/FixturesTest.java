package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isolate.engine.Checks.Load;
import dev.isolate.engine.Checks.StripTool;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.SkipReason;
import dev.isolate.engine.policy.WarningCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The C fixtures of src/test/c built for x86_64, each isolated once per class, with the generic and the targeted
 * checks. {@link Aarch64FixturesTest} runs every one of them again on the same sources cross-built for aarch64.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixturesTest {
    static final List<String> KITCHEN = List.of("gnu", "sysv", "both", "q", "64k", "2m", "sepcode", "nosepcode", "nosoname", "lld",
            "lld-nosoname", "stripped");

    /** The architecture of the fixtures, their tools and the loader that runs them. */
    Target target() {
        return Target.X86_64;
    }

    /** The libkitchen variants the Makefile builds for {@link #target()}. */
    List<String> kitchenVariants() {
        return KITCHEN;
    }

    /** The kitchen variants linked with a given max-page-size, and that page size. */
    Map<String, Long> pageSizeVariants() {
        return Map.of("64k", 0x10000L, "2m", 0x200000L);
    }

    Stream<String> fixtures() {
        List<String> all = new ArrayList<>();
        for (String k : kitchenVariants()) {
            all.add("libkitchen-" + k + ".so");
        }
        all.add("libver.so");
        all.add("libcxx.so");
        return all.stream();
    }

    Stream<String> kitchens() {
        return kitchenVariants().stream().map(k -> "libkitchen-" + k + ".so");
    }

    Stream<Arguments> fixturesAndStripTools() {
        return fixtures().flatMap(f -> Stream.of(StripTool.values()).map(t -> Arguments.of(f, t)));
    }

    Stream<String> pageSizeVariantNames() {
        return pageSizeVariants().keySet().stream().sorted();
    }

    /** {@code <work>/fixtures/<arch>/<file>}: scratch files of this target. */
    Path work(String file) {
        return Tools.work("fixtures/" + target()).resolve(file);
    }

    record Isolated(Path input, Path output, Report report) {
        Export export(String name) {
            List<Export> found = new ArrayList<>();
            for (Export e : report.classification().renamed()) {
                if (e.name().equals(name)) {
                    found.add(e);
                }
            }
            for (Export e : report.classification().kept()) {
                if (e.name().equals(name)) {
                    found.add(e);
                }
            }
            assertEquals(1, found.size(), "exports named " + name + " in the report on " + input + ": " + found);
            return found.get(0);
        }
    }

    /** By target and fixture file. */
    private static final Map<String, Isolated> CACHE = new HashMap<>();

    @BeforeAll
    void tools() {
        Tools.require("readelf", "eu-elflint");
        target().fixtures();
    }

    Isolated isolated(String fixture) throws IOException {
        synchronized (CACHE) {
            String key = target() + "/" + fixture;
            Isolated cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
            Path in = target().fixtures().resolve(fixture);
            assertTrue(Files.isRegularFile(in), "fixture " + in + " was built");
            Path dir = Tools.freshWork("fixtures/" + key);
            Report r = Checks.isolate(in, dir, Checks.PREFIX);
            Isolated i = new Isolated(in, r.output(), r);
            CACHE.put(key, i);
            return i;
        }
    }

    // ---- the generic checks ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("fixtures")
    void outputIsNamedAfterTheNewSoname(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        String old = Checks.soname(i.input());
        String expected = old != null ? "lib" + Checks.PREFIX + old.substring(3)
                : "lib" + Checks.PREFIX + fixture.substring(3);
        Checks.assertSoname(i.input(), i.report(), expected);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void newNamesResolveIntoTheOutputAndOldNamesDoNot(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        assertFalse(i.report().classification().renamed().isEmpty(), "renamed exports of " + fixture);
        Checks.assertDlcheck(target(), i.output(), Checks.nameLines(i.report()), work(fixture + ".names"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void versionSetsAreKept(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Checks.assertVersionsKept(i.input(), i.output(), i.report().newSoname());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void eulintReportsNothingNew(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Lint.assertNoNewMessages(i.input(), i.output(), Checks.PREFIX);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixturesAndStripTools")
    void survivesStripTools(String fixture, StripTool tool) throws IOException {
        Isolated i = isolated(fixture);
        Checks.assertSurvivesStrip(target(), i.input(), i.output(), tool, Tools.work("fixtures-strip/" + target()));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void loadSegmentsAreSortedCongruentAndTheNewOneIsReadOnly(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Checks.assertLoadsSane(i.output());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void noLoadSegmentSharesATargetPageOrLosesCongruence(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Checks.assertPagesRespected(i.input(), i.output(), target().pageSize);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void reportNamesTheMachineAndPlatformOfTheElfHeader(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        assertEquals(target().arch, i.report().machine(), "Report.machine of " + i.input());
        assertEquals(target().platform, i.report().platform(), "Report.platform of " + i.input());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void dynamicRelocationsFollowTheirSymbols(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Checks.assertRelocationsFollowRenames(i.input(), i.output(), i.report(), dynamicRelocationSections(i.input()));
    }

    /** The relocation sections whose sh_link is .dynsym (static ones left by -q index .symtab). */
    static Set<String> dynamicRelocationSections(Path lib) {
        List<Section> all = sections(lib);
        int dynsym = all.stream().filter(s -> s.type().equals("DYNSYM")).mapToInt(Section::index).findFirst().orElse(-1);
        Set<String> out = new java.util.TreeSet<>();
        for (Section s : all) {
            if ((s.type().equals("RELA") || s.type().equals("REL")) && s.link() == dynsym) {
                out.add(s.name());
            }
        }
        assertFalse(out.isEmpty(), "dynamic relocation sections in readelf -SW " + lib);
        return out;
    }

    // ---- kitchen ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kitchens")
    void kitchenClassification(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Export hook = i.export("kz_trace_hook");
        assertEquals(SkipReason.WEAK_UNDEFINED_HOOK, hook.reason(), "reason kz_trace_hook is kept, in " + fixture);

        Export strdup = i.export("strdup");
        assertEquals(SkipReason.WEAK_OVERRIDE, strdup.reason(), "reason strdup is kept, in " + fixture);
        assertTrue(strdup.warnings().contains(WarningCategory.WEAK_OVERRIDE), "warnings of strdup: " + strdup.warnings());
        assertTrue(i.report().classification().warnings().getOrDefault(WarningCategory.WEAK_OVERRIDE, List.of()).contains(strdup),
                "weak-override warnings of " + fixture + " list strdup");

        Export counter = i.export("kz_counter");
        assertTrue(counter.renamed(), "kz_counter renamed in " + fixture);
        assertEquals("acme_kz_counter", counter.newName(), "new name of kz_counter");
        assertTrue(counter.warnings().contains(WarningCategory.OBJECT_SYMBOL), "warnings of kz_counter: " + counter.warnings());

        Export tls = i.export("kz_tls");
        assertTrue(tls.renamed(), "kz_tls renamed in " + fixture);
        assertTrue(tls.warnings().contains(WarningCategory.TLS_SYMBOL), "warnings of kz_tls: " + tls.warnings());

        Export fast = i.export("kz_fast");
        assertTrue(fast.renamed(), "kz_fast renamed in " + fixture);
        assertTrue(fast.warnings().contains(WarningCategory.IFUNC_SYMBOL), "warnings of kz_fast: " + fast.warnings());

        Export prot = i.export("kz_protected");
        assertTrue(prot.renamed(), "kz_protected renamed in " + fixture);
        List<String> syms = Checks.dynSyms(i.output());
        String line = Checks.dynSym(syms, "acme_kz_protected");
        assertNotNull(line, "acme_kz_protected in `readelf --dyn-syms -W " + i.output() + "`");
        assertTrue(line.contains(" PROTECTED "), "visibility of acme_kz_protected in readelf --dyn-syms: " + line);
        assertNull(Checks.dynSym(syms, "kz_protected"), "kz_protected (old name) in readelf --dyn-syms of the output");
    }

    /**
     * The kitchen with JNI names is a JNI library: isolated alone it keeps its SONAME and file name (the JVM loads
     * it by file name) and gets no artifacts for native consumers; its JNI names are kept and resolve, its other
     * exports are renamed as ever.
     */
    @Test
    void aJniLibraryAloneKeepsItsNamesAndGetsNoArtifacts() throws IOException {
        String fixture = "libkitchen-jni.so";
        Isolated i = isolated(fixture);
        for (String jni : List.of("Java_com_example_Foo_bar", "JNI_OnLoad")) {
            Export e = i.export(jni);
            assertEquals(SkipReason.JNI_ENTRY_POINT, e.reason(), "reason " + jni + " is kept, in " + fixture);
            assertEquals(jni, e.newName(), "name of the kept " + jni + " in the output");
        }
        assertEquals("acme_kz_add", i.export("kz_add").newName(), "its other exports are renamed");
        assertEquals(fixture, i.output().getFileName().toString(), "output file name");
        assertEquals("libkitchen-jni.so", Checks.soname(i.output()), "DT_SONAME in readelf -d of the output");
        assertEquals("libkitchen-jni.so", i.report().newSoname(), "Report.newSoname");
        assertEquals(dev.isolate.engine.policy.Naming.Source.KEPT, i.report().naming().source(), "Report.naming: " + i.report().naming());
        assertNull(i.report().name(), "no link name: no artifacts");
        try (Stream<Path> files = Files.list(i.output().getParent())) {
            assertEquals(List.of(fixture), files.map(p -> p.getFileName().toString()).toList(), "files written");
        }
        Checks.assertDlcheck(target(), i.output(), List.of("R Java_com_example_Foo_bar", "R JNI_OnLoad", "R acme_kz_add", "A kz_add"),
                work(fixture + ".jni.names"));
    }

    private static final String CALL_KITCHEN = """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <stdio.h>

            static int failed;
            #define CHECK(cond, what) do { if (cond) printf("ok %s\\n", what); else { printf("FAIL %s\\n", what); failed++; } } while (0)

            static void *sym(void *h, const char *name)
            {
                void *p = dlsym(h, name);
                if (!p) {
                    printf("FAIL dlsym %s: %s\\n", name, dlerror());
                    failed++;
                }
                return p;
            }

            int main(int argc, char **argv)
            {
                void *h;
                int (*add)(int, int);
                int (*fast)(int);
                int (*both)(int);
                int (*bss_get)(void);
                int *counter;

                if (argc != 2)
                    return 2;
                h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
                if (!h) {
                    printf("FAIL dlopen: %s\\n", dlerror());
                    return 3;
                }
                add = (int (*)(int, int))sym(h, "acme_kz_add");
                fast = (int (*)(int))sym(h, "acme_kz_fast");
                both = (int (*)(int))sym(h, "acme_kz_fast_plus_slow");
                bss_get = (int (*)(void))sym(h, "acme_kz_bss_get");
                counter = (int *)sym(h, "acme_kz_counter");
                if (add)
                    CHECK(add(2, 3) == 5, "acme_kz_add(2,3) == 5");
                if (fast)
                    CHECK(fast(21) == 42, "acme_kz_fast(21) == 42");
                if (both)
                    CHECK(both(5) == 16, "acme_kz_fast_plus_slow(5) == 16 (both IFUNCs called from inside)");
                if (bss_get)
                    CHECK(bss_get() == 0, "acme_kz_bss_get() == 0 (.bss reads zeros)");
                if (counter)
                    CHECK(*counter == 42, "*acme_kz_counter == 42");
                return failed ? 1 : 0;
            }
            """;

    private static final Map<Target, Path> CALL_KITCHEN_EXE = new java.util.EnumMap<>(Target.class);

    /** The call test program, compiled once per target with the target's gcc. */
    Path callKitchen() throws IOException {
        synchronized (CALL_KITCHEN_EXE) {
            Path exe = CALL_KITCHEN_EXE.get(target());
            if (exe == null) {
                String gcc = target().tool("gcc");
                Tools.require(gcc);
                Path dir = Tools.freshWork("fixtures-call/" + target());
                Path src = dir.resolve("callkitchen.c");
                Files.writeString(src, CALL_KITCHEN);
                exe = dir.resolve("callkitchen");
                Tools.Result r = Tools.runMerged(gcc, "-Wall", "-O1", "-o", exe.toString(), src.toString(), "-ldl");
                assertEquals(0, r.exit(), "compiling the call test program: " + r.describe());
                CALL_KITCHEN_EXE.put(target(), exe);
            }
            return exe;
        }
    }

    @ParameterizedTest
    @MethodSource("kitchens")
    void callsThroughTheOutputWork(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        Tools.Result r = Tools.run(target().command(callKitchen(), i.output().toString()), Tools.DEFAULT_TIMEOUT, true);
        assertEquals(0, r.exit(), "calling acme_kz_add/acme_kz_fast/acme_kz_fast_plus_slow/acme_kz_bss_get/acme_kz_counter through "
                + i.output() + ": " + r.describe());
    }

    /** The IFUNC relocations of the kitchen: a symbol-less R_*_IRELATIVE and a R_*_JUMP_SLOT against the renamed kz_fast. */
    @ParameterizedTest
    @MethodSource("kitchens")
    void kitchenIfuncRelocationsAreKept(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        String prefix = "R_" + target().arch.toUpperCase(java.util.Locale.ROOT) + "_";
        List<Checks.Reloc> out = Checks.relocations(i.output(), dynamicRelocationSections(i.output()));
        assertTrue(out.stream().anyMatch(r -> r.type().equals(prefix + "IRELATIVE") && r.symbol().isEmpty()),
                prefix + "IRELATIVE (hidden IFUNC kz_slow) in readelf -rW of " + i.output() + ": " + out);
        assertTrue(out.stream().anyMatch(r -> r.type().equals(prefix + "JUMP_SLOT") && r.symbol().equals("acme_kz_fast")),
                prefix + "JUMP_SLOT against acme_kz_fast in readelf -rW of " + i.output() + ": " + out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"libkitchen-nosoname.so", "libkitchen-lld-nosoname.so"})
    void withoutSonameTheNewOneIsDerivedFromTheFileName(String fixture) throws IOException {
        Isolated i = isolated(fixture);
        assertNull(Checks.soname(i.input()), "DT_SONAME of the input " + i.input());
        String expected = "libacme_" + fixture.substring(3);
        assertNull(i.report().oldSoname(), "Report.oldSoname of " + fixture);
        assertEquals(expected, i.report().newSoname(), "Report.newSoname of " + fixture);
        assertEquals(expected, i.output().getFileName().toString(), "output file name of " + fixture);
        assertEquals(expected, Checks.soname(i.output()), "DT_SONAME in readelf -d of the output of " + fixture);
    }

    /** The new segment's alignment is the larger of the input's and the target's page size, without padding the file. */
    @ParameterizedTest
    @MethodSource("pageSizeVariantNames")
    void pageAlignmentWithoutPadding(String variant) throws IOException {
        Isolated i = isolated("libkitchen-" + variant + ".so");
        long linked = pageSizeVariants().get(variant);
        List<Load> in = Checks.loads(i.input());
        List<Load> out = Checks.loads(i.output());
        assertEquals(linked, in.stream().mapToLong(Load::align).max().orElseThrow(), "largest PT_LOAD Align of " + i.input());
        assertEquals(in.size() + 1, out.size(), "PT_LOAD count of output vs input: " + out);
        Load last = Checks.lastByOffset(out);
        assertEquals(Math.max(linked, target().pageSize), last.align(), "Align of the new PT_LOAD (last by offset) " + last
                + " for a " + target() + " library linked with max-page-size 0x" + Long.toHexString(linked));
        long growth = Files.size(i.output()) - Files.size(i.input());
        assertTrue(growth <= 64 * 1024, "output " + Files.size(i.output()) + " bytes vs input " + Files.size(i.input())
                + " bytes: grew by " + growth + " (> 64 KiB means padding to the alignment)");
    }

    /** One section header per {@code readelf -SW}. */
    record Section(int index, String name, String type, long offset, long size, int link) {}

    static List<Section> sections(Path lib) {
        List<Section> out = new ArrayList<>();
        for (String line : Checks.readelf("-SW", lib.toString()).split("\n")) {
            int open = line.indexOf('[');
            int close = line.indexOf(']');
            if (open < 0 || close < open || line.contains("[Nr]")) {
                continue;
            }
            String idx = line.substring(open + 1, close).strip();
            if (!idx.matches("\\d+")) {
                continue;
            }
            String[] f = line.substring(close + 1).trim().split("\\s+");
            if (f.length < 9 || idx.equals("0")) {
                continue;
            }
            // name type addr off size es [flags] lk inf al
            out.add(new Section(Integer.parseInt(idx), f[0], f[1], Long.parseLong(f[3], 16), Long.parseLong(f[4], 16),
                    Integer.parseInt(f[f.length - 3])));
        }
        return out;
    }

    static byte[] bytes(Path file, Section s) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, (int) s.offset(), (int) (s.offset() + s.size()));
    }

    @Test
    void staticRelocationSectionsAreUntouched() throws IOException {
        Isolated i = isolated("libkitchen-q.so");
        Map<String, Section> in = staticRelas(i.input());
        Map<String, Section> out = staticRelas(i.output());
        assertTrue(in.containsKey(".rela.text"), "static .rela.text (sh_link = .symtab) in the -q input: " + in.keySet());
        assertEquals(in.keySet(), out.keySet(), "static relocation sections (RELA, sh_link = .symtab) of output vs input");
        for (String name : in.keySet()) {
            assertArrayEquals(bytes(i.input(), in.get(name)), bytes(i.output(), out.get(name)),
                    "bytes of the static relocation section " + name + " (indexes .symtab) in output vs input");
        }
    }

    private static Map<String, Section> staticRelas(Path lib) {
        List<Section> all = sections(lib);
        int symtab = all.stream().filter(s -> s.type().equals("SYMTAB")).mapToInt(Section::index).findFirst().orElse(-1);
        assertTrue(symtab > 0, ".symtab in readelf -SW " + lib);
        Map<String, Section> out = new LinkedHashMap<>();
        for (Section s : all) {
            if ((s.type().equals("RELA") || s.type().equals("REL")) && s.link() == symtab) {
                out.put(s.name(), s);
            }
        }
        return out;
    }

    // ---- libver ----------------------------------------------------------------------------------------------

    @Test
    void versionedExportsResolveWithTheirVersions() throws IOException {
        Isolated i = isolated("libver.so");
        Checks.assertDlcheck(target(), i.output(), List.of("V acme_foo VER_1", "V acme_foo VER_2", "V acme_bar VER_2", "A foo", "A bar"),
                work("libver.versions.names"));
        for (String marker : List.of("VER_1", "VER_2")) {
            Export e = i.export(marker);
            assertEquals(SkipReason.VERSION_MARKER, e.reason(), "reason the ABS symbol " + marker + " is kept");
        }
        List<String> syms = Checks.dynSyms(i.output());
        for (String marker : List.of("VER_1", "VER_2")) {
            String line = Checks.dynSym(syms, marker);
            assertNotNull(line, "version marker " + marker + " in readelf --dyn-syms -W of " + i.output());
            assertTrue(line.contains(" ABS "), "section of the marker " + marker + ": " + line);
            assertNull(Checks.dynSym(syms, "acme_" + marker), "acme_" + marker + " in readelf --dyn-syms -W of " + i.output());
        }
    }

    // ---- libcxx ----------------------------------------------------------------------------------------------

    @Test
    void cxxUniqueAndLongNamesAreRenamed() throws IOException {
        Isolated i = isolated("libcxx.so");
        List<String> inSyms = Checks.dynSyms(i.input());
        List<String> outSyms = Checks.dynSyms(i.output());
        List<String> uniques = inSyms.stream().filter(l -> l.contains(" UNIQUE ")).map(l -> l.trim().split("\\s+")[7]).toList();
        assertFalse(uniques.isEmpty(), "a GNU_UNIQUE symbol in readelf --dyn-syms of " + i.input());
        for (String u : uniques) {
            Export e = i.export(u);
            assertTrue(e.renamed(), "GNU_UNIQUE " + u + " renamed");
            String line = Checks.dynSym(outSyms, "acme_" + u);
            assertNotNull(line, "acme_" + u + " in readelf --dyn-syms -W of the output");
            assertTrue(line.contains(" UNIQUE "), "binding of acme_" + u + " in the output: " + line);
        }

        Export longest = i.report().classification().renamed().stream().max((a, b) -> Integer.compare(a.name().length(),
                b.name().length())).orElseThrow();
        String inLongest = inSyms.stream().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 8)
                .map(f -> f[7].replaceFirst("@.*", "")).max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
        assertEquals(inLongest, longest.name(), "longest renamed name vs the longest name in readelf --dyn-syms of the input");
        assertTrue(longest.name().length() > 300, "length of the longest mangled name: " + longest.name().length());
        assertEquals("acme_" + longest.name(), longest.newName(), "new name of the longest mangled name");
        assertNotNull(Checks.dynSym(outSyms, longest.newName()), "the renamed longest name in readelf --dyn-syms -W of the output");
        Checks.assertDlcheck(target(), i.output(), List.of("R " + longest.newName(), "A " + longest.name()),
                work("libcxx.longest.names"));
    }

    // ---- hash tables -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"both", "gnu", "sysv"})
    void hashHistogramsReadWithoutWarnings(String variant) throws IOException {
        Isolated i = isolated("libkitchen-" + variant + ".so");
        Tools.Result r = Tools.run("readelf", "-I", i.output().toString());
        assertEquals(0, r.exit(), "readelf -I " + i.output() + ": " + r.describe());
        assertTrue(r.err().isBlank(), "stderr of readelf -I " + i.output() + ":\n" + r.err());
        assertFalse(r.out().contains("Warning"), "readelf -I " + i.output() + ":\n" + r.out());
        boolean sysv = !variant.equals("gnu");
        boolean gnu = !variant.equals("sysv");
        assertEquals(sysv, r.out().contains("Histogram for bucket list length"), "SysV .hash histogram in readelf -I:\n" + r.out());
        assertEquals(gnu, r.out().contains("Histogram for `.gnu.hash' bucket list length"),
                ".gnu.hash histogram in readelf -I:\n" + r.out());
    }

    // guard against a silently empty parameter list
    @Test
    void everyFixtureWasBuilt() {
        List<String> missing = fixtures().filter(f -> !Files.isRegularFile(target().fixtures().resolve(f))).toList();
        if (!missing.isEmpty()) {
            fail("fixtures not built in " + target().fixtures() + ": " + missing);
        }
    }
}
