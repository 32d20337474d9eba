package dev.isolate.engine.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks.StripTool;
import dev.isolate.engine.Checks;
import dev.isolate.engine.Lint;
import dev.isolate.engine.MergeProbe;
import dev.isolate.engine.Target;
import dev.isolate.engine.Tools;
import dev.isolate.engine.cli.Main;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code isolate merge} (issue 14): the JNI glue of {@code src/test/c/merge/mergeglue.c} merged with copies of
 * the system zlib and libzstd, used in a JVM that has the system copies loaded globally; C++ exceptions, TLS,
 * IFUNC and initialiser order across members; libssl + libcrypto with every export kept, used by a program
 * built against the originals. Fixtures: {@code src/test/c/merge/}.
 */
class MergeTest {
    static final Path SYSTEM_Z = Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1");
    static final Path SYSTEM_ZSTD = Path.of("/usr/lib/x86_64-linux-gnu/libzstd.so.1");
    static final Path SYSTEM_SSL = Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3");
    static final Path SYSTEM_CRYPTO = Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3");
    static Path fx;
    static MergeReport glue;

    @BeforeAll
    static void mergeTheGlue() throws IOException {
        Tools.require("readelf", "nm", "eu-elflint");
        Tools.requireFile(SYSTEM_Z, "zlib1g");
        Tools.requireFile(SYSTEM_ZSTD, "libzstd1");
        fx = Tools.fixtures().resolve("merge");
        glue = merge("glue", false, "libmergeglue.so", "libz.so.1", "libzstd.so.1");
    }

    static MergeReport merge(String dir, boolean all, String... inputs) throws IOException {
        List<Path> in = Stream.of(inputs).map(fx::resolve).toList();
        return Merger.merge(new MergeRequest(in, Tools.freshWork("merge/" + dir), Set.of(), all));
    }

    static MergeReport mergeKeeping(String dir, String keep, String... inputs) throws IOException {
        return mergeKeeping(Target.X86_64, dir, keep, inputs);
    }

    /** The merge fixtures of {@code target}. */
    static Path fx(Target target) {
        return target == Target.X86_64 ? fx : target.fixtures().resolve("merge");
    }

    static MergeReport mergeKeeping(Target target, String dir, String keep, String... inputs) throws IOException {
        List<Path> in = Stream.of(inputs).map(fx(target)::resolve).toList();
        return Merger.merge(new MergeRequest(in, Tools.freshWork("merge/" + target + "/" + dir), Set.of(keep), false));
    }

    /** The names {@code lib} exports (defined, global or weak, default or protected visibility). */
    static Set<String> exportedNames(Path lib) throws IOException {
        ElfFile f = ElfFile.read(lib);
        Set<String> out = new TreeSet<>();
        for (int i = 1; i < f.syms.length; i++) {
            var s = f.syms[i];
            if (s.isDefined() && s.bind() != 0 && (s.visibility() == 0 || s.visibility() == 3)) {
                out.add(f.name(i));
            }
        }
        return out;
    }

    /** {@code nm -D} names, defined ({@code defined}) or undefined, without versions. */
    static Set<String> nmD(Path lib, boolean defined) {
        Tools.require("nm");
        String out = Tools.run("nm", "-D", defined ? "--defined-only" : "--undefined-only", lib.toString()).ok().out();
        Set<String> names = new TreeSet<>();
        for (String l : out.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 2) {
                names.add(f[f.length - 1].replaceAll("@.*", ""));
            }
        }
        return names;
    }

    // ---- the JNI proof ---------------------------------------------------------------------------------------

    @Test
    void theMergedGlueExportsOnlyItsJniNamesAndImportsNothingOfZlibOrZstd() throws IOException {
        Path out = glue.output();
        assertEquals("libmergeglue.so", out.getFileName().toString());
        Set<String> defined = nmD(out, true);
        assertEquals(Set.of("Java_dev_isolate_engine_MergeProbe_versions", "Java_dev_isolate_engine_MergeProbe_where",
                "Java_dev_isolate_engine_MergeProbe_roundTrip"), defined, "nm -D --defined-only");
        Set<String> bundled = new HashSet<>(exportedNames(fx.resolve("libz.so.1")));
        bundled.addAll(exportedNames(fx.resolve("libzstd.so.1")));
        assertTrue(bundled.size() > 200, "the copies export their APIs: " + bundled.size());
        Set<String> undefined = nmD(out, false);
        Set<String> leaked = new TreeSet<>(undefined);
        leaked.retainAll(bundled);
        assertEquals(Set.of(), leaked, "imports of names the bundled copies define");
        String dyn = Checks.readelf("-dW", out.toString());
        assertFalse(dyn.contains("[libz.so.1]") || dyn.contains("[libzstd.so.1]"), "DT_NEEDED names a member:\n" + dyn);
        assertTrue(dyn.contains("Shared library: [libc.so.6]") && dyn.contains("Library soname: [libmergeglue.so]"), dyn);
        assertTrue(dyn.contains("BIND_NOW") && dyn.contains("(FLAGS_1)            Flags: NOW"), "bound at load time:\n" + dyn);
        assertEquals(3, glue.exports().size());
        assertTrue(glue.boundRelocations() > 100, "references between members bound at merge time: " + glue.summary());
    }

    /** Runs {@link MergeProbe} on {@code lib} in a fresh JVM with the system zlib and libzstd preloaded; its output and bindings. */
    static Tools.Result probe(Path lib, Path ldDebug) throws IOException {
        Path classes;
        try {
            classes = Path.of(MergeProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(ldDebug.getParent());
        List<String> cmd = List.of("env", "LD_PRELOAD=" + SYSTEM_Z + ":" + SYSTEM_ZSTD, "LD_DEBUG=bindings",
                "LD_DEBUG_OUTPUT=" + ldDebug, "LD_LIBRARY_PATH=" + fx,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes.toString(),
                MergeProbe.class.getName(), lib.toAbsolutePath().toString());
        return Tools.run(cmd, Tools.DEFAULT_TIMEOUT, false);
    }

    /** Every {@code LD_DEBUG_OUTPUT} file's text ({@code ld.PID}). */
    static String ldDebugText(Path ldDebug) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(ldDebug.getParent())) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(ldDebug.getFileName() + ".")).sorted().toList()) {
                sb.append(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    private static final Pattern BINDING = Pattern.compile("binding file (\\S+) \\[\\d+\\] to (\\S+) \\[\\d+\\]: normal symbol `([^'\\[]+)");

    /** Symbols bound by lookups made for {@code from}, as {@code symbol -> to}. */
    static List<String[]> bindingsFrom(String ld, String from) {
        List<String[]> out = new ArrayList<>();
        Matcher m = BINDING.matcher(ld);
        while (m.find()) {
            if (m.group(1).endsWith(from)) {
                out.add(new String[] {m.group(3), m.group(2)});
            }
        }
        return out;
    }

    @Test
    void inAJvmWithTheSystemZlibAndZstdPreloadedTheMergedGlueUsesItsOwnCopiesAndBindsNoneOfTheirNames() throws IOException {
        Path work = Tools.freshWork("merge/jvm");
        Path out = glue.output();
        Tools.Result r = probe(out, work.resolve("ld"));
        assertEquals(0, r.exit(), r.describe());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("roundtrip ok") && lines.contains("zip ok"), "both round trips and java.util.zip: " + lines);
        String where = lines.stream().filter(l -> l.startsWith("where ")).findFirst().orElseThrow();
        String real = out.toRealPath().toString();
        assertEquals("where " + real + " " + real, where, "dladdr of compress2 and ZSTD_compress as the glue sees them");
        Set<String> bundled = new HashSet<>(exportedNames(fx.resolve("libz.so.1")));
        bundled.addAll(exportedNames(fx.resolve("libzstd.so.1")));
        String ld = ldDebugText(work.resolve("ld"));
        List<String[]> mine = bindingsFrom(ld, "/" + out.getFileName());
        assertFalse(mine.isEmpty(), "the merged file's outside imports are looked up (the check sees its bindings)");
        List<String> zNames = mine.stream().filter(b -> bundled.contains(b[0])).map(b -> b[0] + " -> " + b[1]).toList();
        assertEquals(List.of(), zNames, "bindings of zlib or zstd names made for the merged glue");
        assertTrue(mine.stream().allMatch(b -> b[1].contains("libc.so.6") || b[1].contains("ld-linux")
                || b[1].equals(out.toAbsolutePath().toString()) && b[0].startsWith("Java_")),
                "everything the merged glue looks up is the C library's (or its own JNI names, for the JVM): " + mine.stream().map(b -> b[0] + "->" + b[1]).toList());
    }

    @Test
    void controlTheUnmergedGlueInTheSameJvmBindsToTheSystemCopies() throws IOException {
        Path work = Tools.freshWork("merge/jvm-control");
        Tools.Result r = probe(fx.resolve("libmergeglue.so"), work.resolve("ld"));
        assertEquals(0, r.exit(), r.describe());
        String where = r.out().lines().filter(l -> l.startsWith("where ")).findFirst().orElseThrow();
        assertEquals("where " + SYSTEM_Z + " " + SYSTEM_ZSTD, where,
                "the glue as built reaches the preloaded system copies (the clash merge removes)");
        List<String[]> mine = bindingsFrom(ldDebugText(work.resolve("ld")), "/libmergeglue.so");
        assertTrue(mine.stream().anyMatch(b -> b[0].equals("compress2")) && mine.stream().anyMatch(b -> b[0].equals("ZSTD_compress")),
                "the unmerged glue looks zlib and zstd names up");
    }

    // ---- fixtures across members -------------------------------------------------------------------------------

    static String run(Path lib, String function) {
        return run(Target.X86_64, lib, function);
    }

    /** {@code mergerun LIB FUNCTION} of {@code target} (under qemu for aarch64): its output. */
    static String run(Target target, Path lib, String function, String... env) {
        Tools.Result r = mergerun(target, lib, function, false, env);
        assertEquals(0, r.exit(), r.describe());
        return r.out();
    }

    /** {@code mergerun LIB FUNCTION} run with {@code env} set, whatever it exits with; {@code merge}: stderr into out. */
    static Tools.Result mergerun(Target target, Path lib, String function, boolean merge, String... env) {
        List<String> cmd = new ArrayList<>(List.of("env"));
        cmd.addAll(List.of(env));
        cmd.addAll(target.command(fx(target).resolve("mergerun"), lib.toAbsolutePath().toString(), function));
        return Tools.run(cmd, Tools.DEFAULT_TIMEOUT, merge);
    }

    /**
     * {@code eu-elflint --gnu-ld} says nothing about {@code lib}, except, on aarch64, "invalid type" for each
     * {@code R_AARCH64_IRELATIVE}: elfutils 0.188 knows no such type, and says the same of GNU ld's outputs.
     */
    static void assertLintClean(Target target, Path lib) {
        List<String> messages = new ArrayList<>(Lint.messages(lib));
        if (target == Target.AARCH64) {
            long irelative = Checks.readelf("-rW", lib.toString()).lines().filter(l -> l.contains("R_AARCH64_IRELATIVE")).count();
            long invalid = messages.stream().filter(m -> m.matches("section \\[ *\\d+\\] '\\.rela\\.dyn': relocation \\d+: invalid type")).count();
            assertEquals(irelative, invalid, "one 'invalid type' per R_AARCH64_IRELATIVE: " + messages);
            messages.removeIf(m -> m.endsWith(": invalid type"));
        }
        assertEquals(List.of(), messages, "eu-elflint --gnu-ld " + lib);
    }

    /**
     * The same two members linked without {@code .eh_frame_hdr}: the merged file's search table is built from their
     * FDEs, holds as many entries as GNU ld's own {@code --eh-frame-hdr} tables of the same members, and makes the
     * exception that terminates the unmerged pair unwind.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void membersWithoutEhFrameHdrGetASearchTableFromTheirFdes(Target target) throws IOException {
        MergeReport r = mergeKeeping(target, "cxx-nohdr", "catcher_run", "nohdr/libcatcher.so", "nohdr/libthrower.so");
        for (String member : List.of("nohdr/libcatcher.so", "nohdr/libthrower.so")) {
            assertFalse(Checks.readelf("-lW", fx(target).resolve(member).toString()).contains("GNU_EH_FRAME"), member + " has no table");
        }
        // Unmerged, nothing finds their FDEs (glibc's gcc registers no frames at start-up): the throw terminates.
        Path nohdr = fx(target).resolve("nohdr");
        Tools.Result unmerged = mergerun(target, nohdr.resolve("libcatcher.so"), "catcher_run", true, "LD_LIBRARY_PATH=" + nohdr);
        assertTrue(unmerged.exit() != 0 && unmerged.out().contains("terminate called"), unmerged.describe());
        // Merged, the table built from them finds the frames: caught where it was meant to be.
        assertEquals("catcher_run = 142\n", run(target, r.output(), "catcher_run"));
        assertLintClean(target, r.output());
        assertEquals(fdeCount(fx(target).resolve("libcatcher.so")) + fdeCount(fx(target).resolve("libthrower.so")),
                fdeCount(r.output()), "one entry per FDE, as ld's tables of the same members with headers");
    }

    /** The {@code Properties:} lines of {@code readelf -n}: what a file's GNU property notes say. */
    private static List<String> properties(Path lib) {
        return Checks.readelf("-n", lib.toString()).lines().map(String::strip).filter(l -> l.startsWith("Properties:")).toList();
    }

    /**
     * GNU properties combined as ld combines its inputs': the control-flow marking (x86 IBT and SHSTK, AArch64 BTI and
     * PAC) kept when every member has it and dropped when one has not; on x86-64 the ISA level a member needs kept.
     * Under qemu, glibc maps a BTI-marked object's code with BTI enforced, so the marked merge running there shows the
     * mark is true of all its code.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void gnuPropertiesAreCombinedAsALinkerCombinesThem(Target target) throws IOException {
        Path props = fx(target).resolve("props");
        List<String> marked = properties(props.resolve("libpt.so"));
        assertEquals(1, marked.size(), "the TARGET is marked: " + marked);
        assertTrue(marked.get(0).contains(target == Target.X86_64 ? "x86 feature: IBT, SHSTK" : "AArch64 feature: BTI, PAC"), marked.get(0));

        MergeReport both = mergeKeeping(target, "props-both", "props_run", "props/libpt.so", "props/libpa.so");
        assertEquals(marked, properties(both.output()), "both members marked: the merged file is");
        assertTrue(Checks.readelf("-lW", both.output().toString()).contains("GNU_PROPERTY"), "PT_GNU_PROPERTY for ld.so");
        assertEquals("props_run = 42\n", run(target, both.output(), "props_run"));
        assertLintClean(target, both.output());

        MergeReport plain = mergeKeeping(target, "props-plain", "props_run", "props/libpt.so", "props/plain/libpa.so");
        assertEquals(List.of(), properties(plain.output()), "one member unmarked: the merged file is not marked");
        assertEquals("props_run = 42\n", run(target, plain.output(), "props_run"));

        if (target == Target.X86_64) {
            MergeReport v2 = mergeKeeping(target, "props-v2", "props_run", "props/libpt.so", "props/v2/libpa.so");
            assertEquals(List.of("Properties: x86 ISA needed: x86-64-v2"), properties(v2.output()), "the ISA level needed is kept");
        }
    }

    /** The entry count of the {@code .eh_frame_hdr} search table, as readelf decodes it. */
    private static long fdeCount(Path lib) throws IOException {
        Checks.Section s = Checks.section(lib, ".eh_frame_hdr");
        return Integer.toUnsignedLong(ByteBuffer.wrap(Files.readAllBytes(lib)).order(ByteOrder.LITTLE_ENDIAN).getInt((int) s.offset() + 8));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void aCxxExceptionThrownInOneMemberIsCaughtInAnother(Target target) throws IOException {
        MergeReport r = mergeKeeping(target, "cxx", "catcher_run", "libcatcher.so", "libthrower.so");
        assertEquals("catcher_run = 142\n", run(target, r.output(), "catcher_run"));
        assertLintClean(target, r.output());
        assertEquals(List.of("catcher_run"), r.exports());
        assertTrue(Checks.readelf("-lW", r.output().toString()).contains("GNU_EH_FRAME"));
        assertFalse(nmD(r.output(), false).contains("_ZTI10MergeError"), "the thrower's typeinfo is bound, not imported");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void tlsInOneMemberIsUsedAcrossMembersAndThreads(Target target) throws IOException {
        MergeReport r = mergeKeeping(target, "tls", "tlsuser_run", "libtlsuser.so", "libtlsa.so");
        assertEquals("tlsuser_run = 1\n", run(target, r.output(), "tlsuser_run"));
        String l = Checks.readelf("-lW", r.output().toString());
        assertEquals(1, l.lines().filter(x -> x.trim().startsWith("TLS ")).count(), l);
        String rel = Checks.readelf("-rW", r.output().toString());
        assertFalse(rel.contains("tls_counter") || rel.contains("tls_zero"), "TLS references bound to the module itself:\n" + rel);
        assertTrue(rel.contains(target == Target.X86_64 ? "R_X86_64_DTPMOD64" : "R_AARCH64_TLSDESC")
                && rel.contains(target == Target.X86_64 ? "R_X86_64_TPOFF64" : "R_AARCH64_TLS_TPREL64"), rel);
        assertEquals(Checks.readelf("-dW", fx(target).resolve("libtlsa.so").toString()).contains("STATIC_TLS"),
                Checks.readelf("-dW", r.output().toString()).contains("STATIC_TLS"), "DF_STATIC_TLS kept from the member");
        assertLintClean(target, r.output());
    }

    @Test
    void twoMembersWithTlsAreRefusedInOneLineNamingTheMemberAndRelocation() throws IOException {
        Path dir = Tools.freshWork("merge/tls2");
        List<Path> in = Stream.of("libtlsboth.so", "libtlsa.so", "libtlsb.so").map(fx::resolve).toList();
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> Merger.merge(new MergeRequest(in, dir, Set.of(), false)));
        assertEquals(fx.resolve("libtlsb.so") + ": PT_TLS at byte 0x40: a second member with thread-local storage (the first is "
                + fx.resolve("libtlsa.so") + "): its R_X86_64_DTPMOD64 (first at r_offset 0x3fb8) relocations and any local-dynamic"
                + " offsets in its code assume a TLS block of its own; merging two TLS templates is not supported", e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing written");
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void anIfuncOfOneMemberIsBoundWithIrelative(Target target) throws IOException {
        MergeReport r = mergeKeeping(target, "ifunc", "ifuncuser_run", "libifuncuser.so", "libifunc.so");
        assertEquals("ifuncuser_run = 84\n", run(target, r.output(), "ifuncuser_run"));
        String rel = Checks.readelf("-rW", r.output().toString());
        assertEquals(2, rel.lines().filter(x -> x.contains("_IRELATIVE")).count(), "the call's GOT slot and the pointer:\n" + rel);
        assertFalse(rel.contains("ifunc_value"), rel);
        assertLintClean(target, r.output());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void initialisersRunInDependencyOrderAndFinalisersInReverse(Target target) throws IOException {
        MergeReport r = mergeKeeping(target, "init", "initt_run", "libinitt.so", "libinita.so", "libinitb.so");
        List<String> expected = List.of("a init", "a ctor", "b init", "b ctor", "t init", "t ctor", "initt_run = 1",
                "t dtor", "t fini", "b dtor", "b fini", "a dtor", "a fini");
        assertEquals(expected, run(target, r.output(), "initt_run").lines().toList(), "the merged file");
        assertEquals(expected, run(target, fx(target).resolve("libinitt.so"), "initt_run", "LD_LIBRARY_PATH=" + fx(target)).lines().toList(),
                "ld.so's order for the three libraries as built");
        assertLintClean(target, r.output());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void versionedExportsKeepTheirVersionsAndAVersionedReferenceBindsToTheDefault(Target target) throws IOException {
        Path dir = Tools.freshWork("merge/" + target + "/ver");
        Path fixtures = fx(target);
        MergeReport r = Merger.merge(new MergeRequest(List.of(fixtures.resolve("libveruser.so"), fixtures.getParent().resolve("libver.so")),
                dir, Set.of(), true));
        assertEquals("veruser_run = 220\n", run(target, r.output(), "veruser_run"), "foo@@VER_2 * 100 + bar");
        assertEquals(List.of("bar@VER_2", "foo@VER_1", "foo@VER_2", "veruser_run"), r.exports());
        Path names = dir.resolve("names.txt");
        Files.writeString(names, "V foo VER_1\nV foo VER_2\nV bar VER_2\nR veruser_run\n");
        Tools.Result check = Tools.run(target.command(fixtures.getParent().resolve("dlcheck"), r.output().toString(), names.toString()),
                Tools.DEFAULT_TIMEOUT, false);
        assertEquals(0, check.exit(), check.describe());
        String v = Checks.versionInfo(r.output());
        assertTrue(v.contains("Flags: BASE") && v.contains("Name: libveruser.so") && v.contains("Name: VER_1") && v.contains("Name: VER_2"), v);
        assertLintClean(target, r.output());
    }

    // ---- tools ---------------------------------------------------------------------------------------------------

    @Test
    void euElflintSaysNothingAboutTheMergedGlue() {
        assertLintClean(Target.X86_64, glue.output()); // the other merges are linted where they are made
    }

    @ParameterizedTest
    @EnumSource(StripTool.class)
    void theOutputSurvivesEveryStripTool(StripTool tool) throws IOException {
        MergeReport r = mergeKeeping("strip-" + tool, "catcher_run", "libcatcher.so", "libthrower.so");
        Path stripped = r.output().resolveSibling("stripped.so");
        Tools.run(tool.command(Target.X86_64, r.output(), stripped), Tools.DEFAULT_TIMEOUT, true).ok();
        assertEquals("catcher_run = 142\n", run(stripped, "catcher_run"), tool + " keeps the exception tables and the code");
        assertEquals(List.of(), Lint.messages(stripped), tool.label);
    }

    @Test
    void theSameMergeTwiceGivesTheSameBytes() throws IOException {
        MergeReport again = merge("glue-again", false, "libmergeglue.so", "libz.so.1", "libzstd.so.1");
        assertArrayEquals(Files.readAllBytes(glue.output()), Files.readAllBytes(again.output()));
    }

    // ---- libssl + libcrypto, every export kept ----------------------------------------------------------------------

    @Test
    void libsslAndLibcryptoMergedWithEveryExportServeAProgramBuiltAgainstTheOriginals() throws IOException {
        Tools.requireFile(SYSTEM_SSL, "libssl3");
        Path dir = Tools.freshWork("merge/ssl");
        MergeReport r = Merger.merge(new MergeRequest(List.of(SYSTEM_SSL, SYSTEM_CRYPTO), dir, Set.of(), true));
        assertEquals(exportedNames(SYSTEM_SSL).size() + exportedNames(SYSTEM_CRYPTO).size()
                - versionNodeCount(SYSTEM_SSL) - versionNodeCount(SYSTEM_CRYPTO), r.exports().size(), r.summary());
        assertEquals(List.of("libc.so.6"), r.needed());
        // The program needs libssl.so.3 and libcrypto.so.3: both names are the merged file (one link map).
        Files.createSymbolicLink(dir.resolve("libcrypto.so.3"), Path.of("libssl.so.3"));
        Tools.Result run = Tools.run(List.of("env", "LD_LIBRARY_PATH=" + dir, "LD_DEBUG=files", fx.resolve("sslprobe").toString()),
                Tools.DEFAULT_TIMEOUT, false);
        assertEquals(0, run.exit(), run.describe());
        assertEquals(List.of("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "ctx ok", "handshake TLSv1.3 ping pong"),
                run.out().lines().toList(), "SHA-256 of 'abc', an SSL_CTX, and an in-memory handshake with a key made by the probe");
        assertTrue(run.err().contains("file=libssl.so.3 [0];  generating link map"), run.err());
        assertFalse(run.err().contains("file=libcrypto.so.3 [0];  generating link map"), "libcrypto.so.3 is the same map:\n" + run.err());
        assertFalse(run.err().contains("/usr/lib/x86_64-linux-gnu/libssl") || run.err().contains("/usr/lib/x86_64-linux-gnu/libcrypto"),
                "no system copy loaded:\n" + run.err());
    }

    /** The SHN_ABS markers a linker adds for each version node: exported names the merge does not count as definitions. */
    static int versionNodeCount(Path lib) throws IOException {
        ElfFile f = ElfFile.read(lib);
        int n = 0;
        for (int i = 1; i < f.syms.length; i++) {
            String name = f.name(i);
            if (f.syms[i].st_shndx() == 0xfff1 && f.syms[i].st_value() == 0 && f.verdefs.stream().anyMatch(d -> d.name().equals(name))) {
                n++;
            }
        }
        return n;
    }

    // ---- refusals and the command line ----------------------------------------------------------------------------

    @Test
    void aRefusalIsOneLineAndExitCode1OnTheCommandLine() throws IOException {
        Path dir = Tools.freshWork("merge/cli-refused");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"merge", fx.resolve("libtlsboth.so").toString(), fx.resolve("libtlsa.so").toString(),
            fx.resolve("libtlsb.so").toString(), "-o", dir.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(1, status);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("isolate: " + fx.resolve("libtlsb.so") + ": PT_TLS at byte 0x40: a second member with thread-local storage")
                && e.indexOf('\n') == e.length() - 1, e);
    }

    @Test
    void aSharedLibraryThatIsNoMergeInputIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path dir = Tools.freshWork("merge/one");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"merge", fx.resolve("libcatcher.so").toString(), "-o", dir.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, status, "a usage error");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("isolate: merge needs TARGET.so and at least one MEMBER.so\n"));
    }

    @Test
    void theCommandLinePrintsTheSummary() throws IOException {
        Path dir = Tools.freshWork("merge/cli");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"merge", fx.resolve("libcatcher.so").toString(), fx.resolve("libthrower.so").toString(), "-o",
            dir.toString(), "--keep", "catcher_run"}, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, status);
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith(dir.resolve("libcatcher.so") + ": merged 2 libraries (libcatcher.so, libthrower.so), ")
                && s.contains("exports 10 -> 1"), s);
    }

    /**
     * {@code inspect --merge}, the dry run: the same figures as the merge itself (the glue merged above), every export,
     * import and DT_NEEDED listed, as text and as JSON, and nothing written.
     */
    @Test
    void inspectMergeSaysWhatTheMergeWouldDoAndWritesNothing() throws IOException {
        Path dir = Tools.freshWork("merge/inspect");
        String[] inputs = {fx.resolve("libmergeglue.so").toString(), fx.resolve("libz.so.1").toString(), fx.resolve("libzstd.so.1").toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = Stream.concat(Stream.of("inspect", "--merge"), Stream.concat(Stream.of(inputs), Stream.of("-o", dir.toString())))
                .toArray(String[]::new);
        assertEquals(0, Main.run(args, new PrintStream(out), new PrintStream(new ByteArrayOutputStream())));
        String text = out.toString(StandardCharsets.UTF_8);
        String summary = glue.summary().substring(glue.output().toString().length());
        assertTrue(text.startsWith(dir.resolve("libmergeglue.so") + summary + "\n"), "the merge's own summary first:\n" + text);
        for (String e : glue.exports()) {
            assertTrue(text.contains("\n  " + e + "\n"), e + " listed:\n" + text);
        }
        assertTrue(text.contains("exports (3):\n") && text.contains("DT_NEEDED (1):\n  libc.so.6\n"), text);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "inspect --merge wrote something");
        }
        out.reset();
        String[] json = Stream.concat(Stream.of(args), Stream.of("--json")).toArray(String[]::new);
        assertEquals(0, Main.run(json, new PrintStream(out), new PrintStream(new ByteArrayOutputStream())));
        String j = out.toString(StandardCharsets.UTF_8);
        assertTrue(j.contains("\"boundRelocations\": " + glue.boundRelocations()) || j.contains("\"boundRelocations\":" + glue.boundRelocations()), j);
        assertTrue(j.contains("\"Java_dev_isolate_engine_MergeProbe_roundTrip\""), j);
    }
}
