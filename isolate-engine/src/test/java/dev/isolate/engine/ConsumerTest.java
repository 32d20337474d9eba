package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Consumers.Binding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The artifacts for native consumers, used the way a native developer uses them, with the real system
 * zstd and zlib (and libLLVM-15): link with {@code -L out -lN} through GNU ld, gold and lld, autoconf,
 * the redirect header, both copies in one process, shared libraries, CET, and the binutils readers.
 */
class ConsumerTest {
    static final Path SYSTEM_ZSTD = RealLibrariesTest.LIBDIR.resolve("libzstd.so.1");
    static final Path SYSTEM_ZLIB = RealLibrariesTest.LIBDIR.resolve("libz.so.1");

    @BeforeAll
    static void tools() {
        Tools.require("gcc", "ld", "readelf", "nm", "ar", "objdump");
        Tools.requireFile(Path.of("/usr/include/zstd.h"), "libzstd-dev");
        Tools.requireFile(Path.of("/usr/include/zlib.h"), "zlib1g-dev");
    }

    static RealLibrariesTest.Isolated zstd() throws IOException {
        return new RealLibrariesTest().isolated("libzstd.so.1");
    }

    static Path dir(RealLibrariesTest.Isolated i) {
        return i.output().getParent();
    }

    @Test
    void theFourArtifactsAreWrittenBesideTheLibrary() throws IOException {
        Path out = dir(zstd());
        for (String f : List.of("libacme_zstd.so.1", "libzstd_stubs.a", "libzstd.so", "acme_isolate_zstd.h", "acme_isolate_zstd.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " in " + out);
        }
        try (var s = Files.list(out)) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), hidden, "temporary files left in " + out);
        }
        String script = Files.readString(out.resolve("libzstd.so"));
        assertTrue(script.contains("INPUT(\"libzstd_stubs.a\" AS_NEEDED(\"libacme_zstd.so.1\"))"), "linker script:\n" + script);
    }

    /** The manifest is written before the input's digest is known and the digest patched in: coreutils' view of it. */
    @Test
    void theManifestCarriesTheInputsSha256() throws IOException {
        Tools.require("sha256sum");
        RealLibrariesTest.Isolated i = zstd();
        String expected = Tools.run("sha256sum", i.input().toString()).ok().out().split(" ")[0];
        String manifest = Files.readString(dir(i).resolve("acme_isolate_zstd.json"));
        Matcher m = Pattern.compile("\"inputSha256\": \"([^\"]*)\"").matcher(manifest);
        assertTrue(m.find(), "inputSha256 in the manifest");
        assertEquals(expected, m.group(1), "the manifest's inputSha256 vs sha256sum " + i.input());
        assertEquals(expected, i.report().inputSha256(), "the report's inputSha256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bfd", "gold", "lld"})
    void aConsumerLinkedWithDashLRunsOnTheIsolatedCopy(String linker) throws IOException {
        Tools.require(linker.equals("bfd") ? "ld" : "ld." + linker);
        RealLibrariesTest.Isolated i = zstd();
        Path out = dir(i);
        Path work = Tools.freshWork("consumer/dash-l-" + linker);
        Path exe = work.resolve("zstd_user");
        Consumers.build("gcc", "-fuse-ld=" + linker, "-o", exe.toString(), Consumers.source("zstd_user.c").toString(), "-L" + out,
                "-lzstd", "-Wl,-rpath," + out);

        String dynamic = Checks.readelf("-d", "-W", exe.toString());
        assertTrue(dynamic.contains("Shared library: [libacme_zstd.so.1]"), "NEEDED of " + exe + " (" + linker + "):\n" + dynamic);
        assertFalse(dynamic.contains("[libzstd.so.1]"), "NEEDED of " + exe + " names the system libzstd:\n" + dynamic);
        String stack = Checks.readelf("-l", "-W", exe.toString()).lines().filter(l -> l.contains("GNU_STACK")).findFirst().orElse("");
        assertTrue(stack.matches(".*\\sRW\\s+\\S+\\s*"), "GNU_STACK of " + exe + " is RW, not RWE: " + stack);

        Tools.Result r = Consumers.runWith(Map.of("LD_DEBUG", "bindings", "LD_BIND_NOW", "1"), exe.toString());
        assertEquals(0, r.exit(), "running " + exe + ": " + r.describe());
        assertTrue(r.out().contains("round trip") && r.out().contains("ok"), "output of " + exe + ": " + r.out());
        Set<String> originals = Consumers.originalNames(i.report());
        Path isolated = Consumers.realPath(i.output());
        int prefixed = 0;
        for (Binding b : Consumers.bindings(r.err())) {
            assertFalse(originals.contains(b.symbol()), "an original name is bound dynamically: " + b);
            if (b.symbol().startsWith(Checks.PREFIX) && originals.contains(b.symbol().substring(Checks.PREFIX.length()))) {
                assertEquals(isolated, b.to(), "where " + b.symbol() + " is bound from " + b.from());
                prefixed++;
            }
        }
        assertTrue(prefixed >= 4, "bindings of prefixed zstd names in LD_DEBUG=bindings of " + exe + ": " + prefixed);
    }

    @Test
    void withoutStubsOrHeaderTheSameConsumerDoesNotLink() throws IOException {
        RealLibrariesTest.Isolated i = zstd();
        Path exe = Tools.freshWork("consumer/negative").resolve("zstd_user");
        Tools.Result r = Tools.runMerged("gcc", "-o", exe.toString(), Consumers.source("zstd_user.c").toString(), i.output().toString());
        assertNotEquals(0, r.exit(), "linking zstd_user.c straight against " + i.output() + " must fail: " + r.describe());
        assertTrue(r.out().contains("undefined reference to `ZSTD_compress'"), "the link error names ZSTD_compress: " + r.describe());
        assertFalse(Files.exists(exe), exe + " written by a failed link");
    }

    @Test
    void aConsumerCompiledWithTheHeaderLinksToThePrefixedNamesAndPullsNoStub() throws IOException {
        RealLibrariesTest.Isolated i = zstd();
        Path out = dir(i);
        Path header = out.resolve("acme_isolate_zstd.h");
        Path work = Tools.freshWork("consumer/header");
        // the header alone is valid C, twice (include guard), with every warning on
        Path twice = work.resolve("twice.c");
        Files.writeString(twice, "#include \"" + header + "\"\n#include \"" + header + "\"\n#include <zstd.h>\nint main(void) { return 0; }\n");
        Consumers.build("gcc", "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only", twice.toString());

        Path exe = work.resolve("zstd_user");
        Consumers.build("gcc", "-include", header.toString(), "-o", exe.toString(), Consumers.source("zstd_user.c").toString(),
                "-L" + out, "-lzstd", "-Wl,-rpath," + out);
        Tools.Result run = Tools.runMerged(exe.toString());
        assertEquals(0, run.exit(), "running " + exe + ": " + run.describe());

        Tools.Result nm = Tools.run("nm", exe.toString()).ok();
        Set<String> originals = Consumers.originalNames(i.report());
        List<String> pulled = new ArrayList<>();
        Set<String> undefined = new TreeSet<>();
        for (String line : nm.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            String name = f[f.length - 1];
            if (originals.contains(name)) {
                pulled.add(line);
            }
            if (f.length == 2 && f[0].equals("U")) {
                undefined.add(name);
            }
        }
        assertEquals(List.of(), pulled, "original zstd names in `nm " + exe + "` (a stub was pulled in)");
        assertTrue(undefined.containsAll(List.of("acme_ZSTD_compress", "acme_ZSTD_decompress", "acme_ZSTD_versionNumber")),
                "undefined prefixed names in `nm " + exe + "`: " + undefined);
    }

    @Test
    void bothCopiesInOneProcessEachNameBindsToItsOwnCopy() throws IOException {
        RealLibrariesTest.Isolated zstd = zstd();
        RealLibrariesTest.Isolated zlib = new RealLibrariesTest().isolated("libz.so.1");
        Path work = Tools.freshWork("consumer/cohabitation");
        Path system = work.resolve("libcohab_system.so");
        Consumers.build("gcc", "-shared", "-fPIC", "-o", system.toString(), Consumers.source("cohab_system.c").toString(),
                SYSTEM_ZSTD.toString(), SYSTEM_ZLIB.toString());
        Path exe = work.resolve("cohab");
        Consumers.build("gcc", "-o", exe.toString(), Consumers.source("cohab_main.c").toString(), "-L" + dir(zstd), "-L" + dir(zlib),
                "-lzstd", "-lz", system.toString(), "-Wl,-rpath," + dir(zstd) + ":" + dir(zlib) + ":" + work);

        Tools.Result r = Consumers.runWith(Map.of("LD_PRELOAD", SYSTEM_ZSTD + " " + SYSTEM_ZLIB, "LD_BIND_NOW", "1", "LD_DEBUG",
                "bindings"), exe.toString());
        assertEquals(0, r.exit(), "running " + exe + ": " + r.describe());
        assertTrue(r.out().contains("isolated: ") && r.out().contains("system: ") && !r.out().contains("FAILED"),
                "both copies give correct results: " + r.out());

        Map<String, Path> ownerOfOriginal = new java.util.HashMap<>();
        Map<String, Path> ownerOfPrefixed = new java.util.HashMap<>();
        for (RealLibrariesTest.Isolated lib : List.of(zstd, zlib)) {
            for (String n : Consumers.originalNames(lib.report())) {
                ownerOfOriginal.put(n, Consumers.realPath(lib.input()));
                ownerOfPrefixed.put(Checks.PREFIX + n, Consumers.realPath(lib.output()));
            }
        }
        Set<String> originalsBound = new TreeSet<>();
        Set<String> prefixedBound = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (Binding b : Consumers.bindings(r.err())) {
            Path expected = ownerOfOriginal.get(b.symbol());
            if (expected != null) {
                originalsBound.add(b.symbol());
            } else if ((expected = ownerOfPrefixed.get(b.symbol())) != null) {
                prefixedBound.add(b.symbol());
            }
            if (expected != null && !expected.equals(b.to())) {
                wrong.add(b.symbol() + " from " + b.from() + " bound to " + b.to() + ", expected " + expected);
            }
        }
        assertEquals(List.of(), wrong, "bindings to the wrong copy in LD_DEBUG=bindings");
        for (String n : List.of("ZSTD_compress", "ZSTD_decompress", "compress2", "uncompress", "zlibVersion")) {
            assertTrue(originalsBound.contains(n), n + " bound (to the system copy); bound originals: " + originalsBound);
        }
        for (String n : List.of("ZSTD_compress", "ZSTD_decompress", "compress2", "uncompress", "zlibVersion")) {
            assertTrue(prefixedBound.contains(Checks.PREFIX + n), Checks.PREFIX + n + " bound (to the isolated copy); bound: "
                    + prefixedBound);
        }
    }

    @Test
    void aSharedLibraryLinkedThroughTheScriptExportsNoOriginalName() throws IOException {
        RealLibrariesTest.Isolated i = zstd();
        Path lib = Tools.freshWork("consumer/shared").resolve("libshared_user.so");
        Consumers.build("gcc", "-shared", "-fPIC", "-o", lib.toString(), Consumers.source("shared_user.c").toString(), "-L" + dir(i),
                "-lzstd");
        Set<String> originals = Consumers.originalNames(i.report());
        List<String> syms = Checks.dynSyms(lib);
        List<String> leaked = syms.stream().filter(l -> {
            String[] f = l.trim().split("\\s+");
            return f.length >= 8 && originals.contains(f[7].replaceFirst("@.*", ""));
        }).toList();
        assertEquals(List.of(), leaked, "original zstd names in readelf --dyn-syms of " + lib);
        assertTrue(Checks.dynSym(syms, "acme_ZSTD_versionNumber") != null, "acme_ZSTD_versionNumber imported by " + lib + ":\n"
                + String.join("\n", syms));
        assertTrue(Checks.dynSym(syms, "shared_user_version") != null, "its own export shared_user_version in " + lib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"libzstd.so.1", "libz.so.1"})
    void binutilsReadTheArchiveAndItsObjectsWithoutWarnings(String libName) throws IOException {
        RealLibrariesTest.Isolated i = new RealLibrariesTest().isolated(libName);
        Path archive = dir(i).resolve("lib" + i.report().name() + "_stubs.a");
        Consumers.assertQuiet(Tools.run("readelf", "-a", "-W", archive.toString()));
        Consumers.assertQuiet(Tools.run("objdump", "-d", "-r", archive.toString()));
        Tools.Result nm = Tools.run("nm", "-s", archive.toString());
        Consumers.assertQuiet(nm);
        Tools.Result ar = Tools.run("ar", "t", archive.toString());
        Consumers.assertQuiet(ar);
        Set<String> stubbed = Consumers.stubbedNames(i.report());
        assertEquals(stubbed.size(), ar.out().lines().count(), "members in `ar t " + archive + "`");
        assertEquals(stubbed, Consumers.archiveIndex(archive).keySet(), "symbols of the index (nm -s) of " + archive);

        Path members = Tools.freshWork("consumer/members-" + libName);
        Tools.run(List.of("sh", "-c", "cd '" + members + "' && ar x '" + archive + "'"), Tools.DEFAULT_TIMEOUT, true).ok();
        Path first = members.resolve(ar.out().lines().findFirst().orElseThrow());
        Tools.require("eu-elflint");
        Tools.Result lint = Tools.runMerged("eu-elflint", "--gnu-ld", first.toString());
        assertTrue(lint.exit() == 0 && lint.out().strip().endsWith("No errors"), "eu-elflint of " + first + ": " + lint.describe());
    }

    @Test
    void cetReportErrorAcceptsTheStubsAndStillCatchesAnUnmarkedObject() throws IOException {
        RealLibrariesTest.Isolated i = zstd();
        Path work = Tools.freshWork("consumer/cet");
        Path marked = work.resolve("cet_user.o");
        Consumers.build("gcc", "-c", "-fPIC", "-fcf-protection=full", "-o", marked.toString(), Consumers.source("cet_user.c").toString());
        Path lib = work.resolve("libcet_user.so");
        Tools.Result ok = Tools.runMerged("ld", "-shared", "-z", "cet-report=error", "-o", lib.toString(), marked.toString(),
                "-L" + dir(i), "-lzstd");
        Consumers.assertQuiet(ok);
        String notes = Checks.readelf("-n", lib.toString());
        assertTrue(notes.contains("x86 feature: IBT, SHSTK"), "the CET properties survive into " + lib + ":\n" + notes);
        Path all = work.resolve("liball_stubs.so");
        Consumers.assertQuiet(Tools.runMerged("ld", "-shared", "-z", "cet-report=error", "-o", all.toString(), "--whole-archive",
                dir(i).resolve("libzstd_stubs.a").toString()));

        // The control: the same link with an unmarked object fails, so the check above could fail.
        Path unmarked = work.resolve("plain_user.o");
        Consumers.build("gcc", "-c", "-fPIC", "-fcf-protection=none", "-o", unmarked.toString(), Consumers.source("cet_user.c").toString());
        Tools.Result bad = Tools.runMerged("ld", "-shared", "-z", "cet-report=error", "-o", work.resolve("libbad.so").toString(),
                unmarked.toString(), "-L" + dir(i), "-lzstd");
        assertNotEquals(0, bad.exit(), "ld -z cet-report=error with an unmarked object: " + bad.describe());
        assertTrue(bad.out().contains("plain_user.o") && bad.out().contains("missing IBT and SHSTK properties"),
                "the error names the unmarked object only: " + bad.describe());
        assertFalse(bad.out().contains("_stubs.a"), "an error about the stubs: " + bad.describe());
    }

    @Test
    void autoconfCheckLibFindsTheIsolatedLibrary() throws IOException {
        Tools.require("autoconf");
        RealLibrariesTest.Isolated zstd = zstd();
        RealLibrariesTest.Isolated zlib = new RealLibrariesTest().isolated("libz.so.1");
        Path work = Tools.freshWork("consumer/autoconf");
        Files.writeString(work.resolve("configure.ac"), """
                AC_INIT([isolate-probe], [1.0])
                AC_PROG_CC
                AC_CHECK_LIB([zstd], [ZSTD_versionNumber], [], [AC_MSG_ERROR([no usable -lzstd])])
                AC_CHECK_LIB([z], [zlibVersion], [], [AC_MSG_ERROR([no usable -lz])])
                AC_OUTPUT
                """);
        Tools.Result ac = Tools.run(List.of("sh", "-c", "cd '" + work + "' && autoconf"), Tools.DEFAULT_TIMEOUT, true);
        assertEquals(0, ac.exit(), "autoconf: " + ac.describe());
        // --trace and --trace-symbol make the linker say in config.log which files it loaded and where each
        // checked function was defined: proof of what satisfied the check (the system's libzstd.so would too)
        String ldflags = "-L" + dir(zstd) + " -L" + dir(zlib) + " -Wl,--trace -Wl,--trace-symbol=ZSTD_versionNumber"
                + " -Wl,--trace-symbol=zlibVersion";
        Tools.Result conf = Tools.run(List.of("sh", "-c", "cd '" + work + "' && ./configure LDFLAGS='" + ldflags + "'"),
                Tools.DEFAULT_TIMEOUT, true);
        assertEquals(0, conf.exit(), "./configure LDFLAGS='" + ldflags + "': " + conf.describe()
                + "\nconfig.log:\n" + Tools.tail(Files.readString(work.resolve("config.log")), 4000));
        assertTrue(conf.out().contains("checking for ZSTD_versionNumber in -lzstd... yes"), conf.describe());
        assertTrue(conf.out().contains("checking for zlibVersion in -lz... yes"), conf.describe());
        String log = Files.readString(work.resolve("config.log"));
        for (String loaded : List.of(dir(zstd).resolve("libacme_zstd.so.1").toString(), dir(zlib).resolve("libacme_z.so.1").toString())) {
            assertTrue(log.lines().anyMatch(loaded::equals), "config.log shows the linker loading " + loaded + ":\n" + Tools.tail(log, 4000));
        }
        for (String[] def : List.of(new String[] {dir(zstd).resolve("libzstd_stubs.a").toString(), "ZSTD_versionNumber"},
                new String[] {dir(zlib).resolve("libz_stubs.a").toString(), "zlibVersion"})) {
            Pattern p = Pattern.compile(Pattern.quote(def[0]) + "\\(s\\d+\\.o\\): definition of " + def[1] + "\n");
            assertTrue(p.matcher(log).find(), "config.log shows " + def[1] + " defined by a stub in " + def[0] + ":\n"
                    + Tools.tail(log, 4000));
        }
    }

    @Test
    void libLlvm15GetsAllFourArtifactsAndItsCApiWorksThroughTheStubs() throws IOException {
        RealLibrariesTest.Isolated i = new RealLibrariesTest().isolated("libLLVM-15.so.1");
        Path out = dir(i);
        assertEquals("LLVM-15", i.report().name(), "link name derived from libLLVM-15.so.1");
        for (String f : List.of("libLLVM-15_stubs.a", "libLLVM-15.so", "acme_isolate_LLVM-15.h", "acme_isolate_LLVM-15.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " in " + out);
        }
        Map<String, String> index = Consumers.archiveIndex(out.resolve("libLLVM-15_stubs.a"));
        assertTrue(index.size() > 30_000, "stubs of libLLVM-15: " + index.size());
        assertEquals(Consumers.stubbedNames(i.report()), index.keySet(), "the archive index vs the stubbed exports");
        Matcher stubs = Pattern.compile("\"stubs\": (\\d+),").matcher(Files.readString(out.resolve("acme_isolate_LLVM-15.json")));
        assertTrue(stubs.find(), "\"stubs\" in the manifest");
        assertEquals(index.size(), Integer.parseInt(stubs.group(1)), "\"stubs\" in the manifest vs the archive index");
        // every stub stands in for a function of the input (readelf's view, not ours)
        Set<String> functions = new TreeSet<>();
        for (String l : Checks.dynSyms(i.input())) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 8 && (f[3].equals("FUNC") || f[3].equals("IFUNC")) && !f[6].equals("UND")) {
                functions.add(f[7].replaceFirst("@.*", ""));
            }
        }
        List<String> notFunctions = index.keySet().stream().filter(n -> !functions.contains(n)).limit(10).toList();
        assertEquals(List.of(), notFunctions, "stubs for names that are not functions of " + i.input());

        Path exe = Tools.freshWork("consumer/llvm").resolve("llvm_user");
        Consumers.build("gcc", "-o", exe.toString(), Consumers.source("llvm_user.c").toString(), "-L" + out, "-lLLVM-15",
                "-Wl,-rpath," + out);
        Tools.Result r = Consumers.runWith(Map.of("LD_DEBUG", "bindings"), exe.toString());
        assertEquals(0, r.exit(), "running " + exe + ": " + r.describe());
        assertTrue(r.out().contains("module isolated-module, i32 width 32: ok"), "output of " + exe + ": " + r.out());
        Path isolated = Consumers.realPath(i.output());
        List<Binding> created = Consumers.bindings(r.err()).stream().filter(b -> b.symbol().equals("acme_LLVMContextCreate")).toList();
        assertFalse(created.isEmpty(), "acme_LLVMContextCreate in LD_DEBUG=bindings of " + exe);
        for (Binding b : created) {
            assertEquals(isolated, b.to(), "where acme_LLVMContextCreate is bound");
        }
    }
}
