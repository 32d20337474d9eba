package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.IsolateException;
import dev.isolate.engine.policy.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <mode>merge</mode>} picks TARGET by its exports: exactly one input of a platform exports a JNI entry
 * point, and it has something to merge with; otherwise one line naming the inputs, and nothing placed. The merge
 * itself, loaded in a JVM, is the IT merge-mode.
 */
class NativeBuildMergeTest {
    @TempDir
    Path dir;

    /** A shared library of one C line, built by gcc (any x86-64 or aarch64 host; the ITs need gcc too). */
    private Path lib(String name, String c) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        Files.writeString(src, c);
        Path out = dir.resolve("in").resolve(name);
        Files.createDirectories(out.getParent());
        Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", out.toString(), src.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "gcc " + src);
        return out;
    }

    private String failure(List<Path> inputs) {
        var o = merge(Set.of(), false);
        String message = assertThrows(IsolateBuildException.class, () -> NativeBuild.run(inputs, o, s -> {})).getMessage();
        assertFalse(Files.exists(dir.resolve("native")), "nothing placed");
        return message;
    }

    private NativeBuild.Options merge(Set<String> keep, boolean keepAll) {
        return new NativeBuild.Options(null, List.of(), false, Set.of(), Map.of(), Map.of(), null, dir.resolve("native"),
                dir.resolve("work"), "test", NativeIndex.MERGE, keep, keepAll);
    }

    /** The merged file's exports, as the engine reports them and as the placed file's own table has them. */
    private static List<String> exports(NativeBuild.Result r) throws IOException {
        NativeBuild.Platform p = r.platforms().get(0);
        List<String> placed = new java.util.ArrayList<>();
        dev.isolate.engine.elf.ElfFile elf = dev.isolate.engine.elf.ElfFile.read(p.libraries().resolve("liba.so"));
        for (int i = 1; i < elf.syms.length; i++) {
            if (elf.syms[i].isDefined()) {
                placed.add(elf.name(i));
            }
        }
        assertEquals(new java.util.TreeSet<>(p.merged().exports()), new java.util.TreeSet<>(placed), "report and file agree");
        return placed.stream().sorted().toList();
    }

    /**
     * {@code <keep>} and {@code <keepAllExports>} reach the merge, and a change of either is a new build, not an
     * up-to-date one.
     */
    @Test
    void keptNamesAreExportedAndChangeTheFingerprint() throws Exception {
        Path a = lib("liba.so", "int zf(void); int zg(void); int Java_A_f(void) { return zf() + zg(); }");
        Path z = lib("libz.so", "int zf(void) { return 2; } int zg(void) { return 3; } int zh(void) { return 4; }");
        List<Path> inputs = List.of(z, a);
        NativeBuild.Result plain = NativeBuild.run(inputs, merge(Set.of(), false), s -> {});
        assertEquals(List.of("Java_A_f"), exports(plain));
        assertTrue(NativeBuild.run(inputs, merge(Set.of(), false), s -> {}).upToDate(), "nothing changed");

        NativeBuild.Result kept = NativeBuild.run(inputs, merge(Set.of("zg"), false), s -> {});
        assertFalse(kept.upToDate(), "a new <keep> is a new merge");
        assertEquals(List.of("Java_A_f", "zg"), exports(kept));

        NativeBuild.Result all = NativeBuild.run(inputs, merge(Set.of(), true), s -> {});
        assertFalse(all.upToDate(), "<keepAllExports> too");
        assertEquals(List.of("Java_A_f", "zf", "zg", "zh"), exports(all));
    }

    /** The inspect goal's dry run: the merge's figures and JSON report, with the same TARGET and settings, nothing placed. */
    @Test
    void inspectPlansTheMergeAndPlacesNothing() throws Exception {
        Path a = lib("liba.so", "int zf(void); int zg(void); int Java_A_f(void) { return zf() + zg(); }");
        Path z = lib("libz.so", "int zf(void) { return 2; } int zg(void) { return 3; }");
        List<NativeBuild.MergeInspection> r = NativeBuild.inspectMerge(List.of(z, a), merge(Set.of("zg"), false));
        assertEquals(1, r.size());
        NativeBuild.MergeInspection i = r.get(0);
        assertEquals(NativeBuild.platform(a), i.platform());
        assertEquals(List.of("Java_A_f", "zg"), i.report().exports().stream().sorted().toList());
        assertTrue(i.report().figures().startsWith("merged 2 libraries (liba.so, libz.so), "), i.report().figures());
        assertEquals(i.report().json() + "\n", Files.readString(i.json()));
        assertEquals(dir.resolve("work").resolve("inspect-" + i.platform() + ".json"), i.json());
        assertFalse(Files.exists(dir.resolve("native")), "nothing placed");
        assertFalse(Files.exists(i.report().output()), "nothing merged");
    }

    @Test
    void aKeptNameNoLibraryDefinesIsRefused() throws Exception {
        Path a = lib("liba.so", "int zf(void); int Java_A_f(void) { return zf(); }");
        Path z = lib("libz.so", "int zf(void) { return 2; }");
        IsolateException e = assertThrows(IsolateException.class, () -> NativeBuild.run(List.of(z, a), merge(Set.of("nowhere"), false),
                s -> {}));
        assertEquals("--keep nowhere: no member exports 'nowhere'", e.getMessage());
        assertEquals("<keep> nowhere: no member exports 'nowhere'", e.message((setting, arg) -> setting == Setting.KEEP ? "<keep>" : "?"));
        assertFalse(Files.exists(dir.resolve("native")), "nothing placed");
    }

    @Test
    void twoJniLibrariesAreNamed() throws Exception {
        Path a = lib("liba.so", "int Java_A_f(void) { return 1; }");
        Path b = lib("libb.so", "int JNI_OnLoad(void *vm, void *r) { return 0x10008; }");
        Path z = lib("libz.so", "int zf(void) { return 2; }");
        String m = failure(List.of(z, a, b));
        assertEquals("<mode>merge</mode> merges each platform's one JNI library (the input that exports Java_* or JNI_OnLoad)"
                + " with the libraries it bundles, but 2 of the " + NativeBuild.platform(a) + " inputs do: [" + a + ", " + b
                + "]; package each JNI library in an execution of its own", m);
    }

    @Test
    void noJniLibraryIsRefused() throws Exception {
        Path z = lib("libz.so", "int zf(void) { return 2; }");
        Path h = lib("libh.so", "__attribute__((visibility(\"hidden\"))) int Java_A_f(void) { return 1; } int g(void) { return Java_A_f(); }");
        String m = failure(List.of(z, h));
        assertEquals("<mode>merge</mode> merges each platform's one JNI library (the input that exports Java_* or JNI_OnLoad)"
                + " with the libraries it bundles, but none of the " + NativeBuild.platform(z) + " inputs does: [" + z + ", " + h + "]", m);
    }

    @Test
    void aJniLibraryAloneHasNothingToMerge() throws Exception {
        Path a = lib("liba.so", "int Java_A_f(void) { return 1; }");
        String m = failure(List.of(a));
        assertEquals("<mode>merge</mode> merges each platform's one JNI library (the input that exports Java_* or JNI_OnLoad)"
                + " with the libraries it bundles, but the only " + NativeBuild.platform(a) + " input is " + a
                + ": add the libraries it bundles, or use <mode>rename</mode>", m);
    }
}
