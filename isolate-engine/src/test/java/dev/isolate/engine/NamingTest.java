package dev.isolate.engine;

import static dev.isolate.engine.CliTest.assertNoStackTrace;
import static dev.isolate.engine.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How outputs are named (issue 12), through the command line: a JNI library keeps its SONAME and file name alone
 * as in a bundle and gets consumer artifacts only when {@code --name} asks; a SONAME that is no plain library
 * file name (JNA's path, netty's placeholder) gives way to the file name with no flag; a glue given without the
 * library it was linked against is warned about, and refused under {@code --werror}. Fixtures:
 * {@code src/test/c/naming/}, {@code libkitchen-jni.so}, {@code bundle-z/}.
 */
class NamingTest {
    static Path fixtures;
    static Path glue;
    static Path fakez;

    @BeforeAll
    static void fixtures() {
        Tools.require("readelf", "eu-elflint", "gcc");
        fixtures = Tools.fixtures();
        glue = fixtures.resolve("bundle-z/libzglue.so");
        fakez = fixtures.resolve("bundle-z/libz.so.1");
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r);
        return r;
    }

    // ---- a JNI library alone -------------------------------------------------------------------------------

    @Test
    void aGlueAloneKeepsItsNamesGetsNoArtifactsAndIsWarnedOfItsUnbundledLibrary() throws IOException {
        Path out = Tools.freshWork("naming/glue-alone");
        Run r = ok("isolate", glue.toString(), "-o", out.toString(), "--prefix", "acme_");
        assertEquals(glue + " -> " + out.resolve("libzglue.so") + " (SONAME libzglue.so kept): 1 renamed, 6 kept, 2 warnings\n",
                r.out(), "the summary of " + r);
        assertEquals("isolate: warning: " + glue + " needs libz.so.1, which is neither in the bundle nor a system library"
                + " (unbundled-dependency)\n", r.err(), "stderr of " + r);
        assertEquals(List.of("libzglue.so"), files(out), "files in " + out + ": no stubs, no linker script, no header");
        assertEquals("libzglue.so", Checks.soname(out.resolve("libzglue.so")), "DT_SONAME of the output");
        List<String> syms = Checks.dynSyms(out.resolve("libzglue.so"));
        assertTrue(Checks.dynSym(syms, "acme_zglue_calls") != null && Checks.dynSym(syms, "zglue_calls") == null,
                "its other exports are renamed: " + syms);
        assertTrue(Checks.dynSym(syms, "Java_dev_isolate_engine_BundleProbe_zlibVersion") != null, "its JNI names kept: " + syms);
    }

    @Test
    void aJniLibraryWithoutSonameGetsNoneAdded() throws IOException {
        Path in = fixtures.resolve("libzprobe.so");
        Path out = Tools.freshWork("naming/no-soname");
        Run r = ok("isolate", in.toString(), "-o", out.toString(), "--prefix", "acme_");
        assertTrue(r.out().startsWith(in + " -> " + out.resolve("libzprobe.so") + " (no SONAME): "), "the summary: " + r);
        assertEquals(List.of("libzprobe.so"), files(out), "files for " + r);
        assertEquals(null, Checks.soname(out.resolve("libzprobe.so")), "no DT_SONAME added");
        Run text = ok("inspect", in.toString());
        assertEquals("  SONAME (none), none added, file libzprobe.so (a JNI library keeps its file name and gets no SONAME: the JVM loads it"
                + " by file name, nothing links against it)", text.out().lines().toList().get(1), text.toString());
    }

    @Test
    void inspectOfAJniLibrarySaysWhyItKeepsItsNamesAndNamesNoArtifact() {
        Run text = ok("inspect", glue.toString(), "--prefix", "acme_");
        List<String> lines = text.out().lines().toList();
        assertEquals(glue + " (linux-x86_64)", lines.get(0), "first line of " + text);
        assertEquals("  SONAME libzglue.so kept, file libzglue.so (a JNI library keeps its SONAME and file name: the JVM loads it"
                + " by file name, nothing links against it)", lines.get(1), "second line of " + text);
        assertEquals("  no artifacts for native consumers: nothing links against a JNI library (--name N writes them)",
                lines.get(2), "third line of " + text);
        assertEquals("  rename 1 export:", lines.get(3), "fourth line of " + text);
        assertTrue(lines.contains("  warning unbundled-dependency: needs libz.so.1, neither in the bundle nor a system library"),
                "the unbundled dependency in " + text);

        Run json = ok("inspect", glue.toString(), "--prefix", "acme_", "--json");
        assertTrue(json.out().contains("\"newSoname\": \"libzglue.so\",\n      \"naming\": {\"from\": \"kept\", \"reason\": \"a JNI"
                + " library keeps its SONAME and file name: the JVM loads it by file name, nothing links against it\"},\n"
                + "      \"name\": null,\n      \"artifacts\": {\"library\": \"libzglue.so\", \"stubArchive\": null, \"linkerScript\":"
                + " null, \"header\": null, \"manifest\": null},\n      \"stubs\": 0,"), "naming and artifacts in " + json);
        assertTrue(json.out().contains("\"unbundled\": [\n        \"libz.so.1\"\n      ]"), "unbundled in " + json);
        assertFalse(json.out().contains("null_stubs") || json.out().contains("isolate_null"), "no artifact named after null: " + json);
    }

    @Test
    void werrorRefusesAGlueGivenWithoutItsLibrary() throws IOException {
        Path out = Tools.freshWork("naming/glue-werror");
        Run r = run("isolate", glue.toString(), "-o", out.toString(), "--prefix", "acme_", "--werror", "--allow-object-symbol");
        assertEquals(1, r.exit(), "exit code: " + r);
        assertEquals(List.of("isolate: " + glue + ": warnings are errors (--werror): unbundled-dependency (needs libz.so.1, which is"
                + " neither in the bundle nor a system library); allow it with --allow-unbundled-dependency"), r.errLines(), "stderr");
        assertNoStackTrace(r);
        assertEquals(List.of(), files(out), "nothing written");

        ok("isolate", glue.toString(), "-o", out.toString(), "--prefix", "acme_", "--werror", "--allow-object-symbol",
                "--allow-unbundled-dependency");
        assertEquals(List.of("libzglue.so"), files(out), "written with the category allowed");
    }

    @Test
    void aLibraryNeedingOnlySystemLibrariesIsNotWarned() {
        Run r = ok("inspect", fakez.toString(), "--prefix", "acme_", "--json");
        assertTrue(r.out().contains("\"unbundled\": [],"), "libc only: nothing unbundled in " + r);
    }

    @Test
    void aLinkNameAsksForTheArtifactsOfAJniLibraryAndConsumersLinkThroughThem() throws IOException {
        Path in = fixtures.resolve("libkitchen-jni.so");
        Path out = Tools.freshWork("naming/jni-name");
        Run r = ok("isolate", in.toString(), "-o", out.toString(), "--prefix", "acme_", "--name", "kitchenjni");
        assertEquals(List.of("acme_isolate_kitchenjni.h", "acme_isolate_kitchenjni.json", "libkitchen-jni.so", "libkitchenjni.so",
                "libkitchenjni_stubs.a"), files(out), "files in " + out + " for " + r);
        assertTrue(r.out().contains("\n  for -L" + out + " -lkitchenjni: libkitchenjni_stubs.a (9 stubs), libkitchenjni.so,"
                + " acme_isolate_kitchenjni.h, acme_isolate_kitchenjni.json\n"), "the summary: " + r);
        String script = Files.readString(out.resolve("libkitchenjni.so"));
        assertTrue(script.endsWith("INPUT(\"libkitchenjni_stubs.a\" AS_NEEDED(\"libkitchen-jni.so\"))\n"),
                "the linker script names the library by the file it keeps: " + script);
        Map<String, String> index = Consumers.archiveIndex(out.resolve("libkitchenjni_stubs.a"));
        assertTrue(index.containsKey("kz_add") && !index.containsKey("JNI_OnLoad") && !index.containsKey("Java_com_example_Foo_bar"),
                "stubs for the renamed functions, none for the kept JNI names: " + index.keySet());
        String manifest = Files.readString(out.resolve("acme_isolate_kitchenjni.json"));
        assertTrue(manifest.contains("\"naming\": {\"from\": \"kept\",") && manifest.contains("\"name\": \"kitchenjni\",")
                && manifest.contains("\"library\": \"libkitchen-jni.so\", \"stubArchive\": \"libkitchenjni_stubs.a\""), manifest);

        Path exe = Tools.freshWork("naming/jni-name-consumer").resolve("kitchen_stubs");
        Consumers.build("gcc", "-o", exe.toString(), Consumers.source("kitchen_stubs.c").toString(), "-L" + out, "-lkitchenjni",
                "-Wl,-rpath," + out);
        Tools.Result run = Tools.runMerged(exe.toString());
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("kz_add 5 kz_fast 42"), "the consumer through the stubs: " + run.describe());
    }

    @Test
    void aLinkerScriptMayNotTakeTheNameOfTheJniLibrary() throws IOException {
        Path out = Tools.freshWork("naming/jni-name-collides");
        Run r = run("isolate", glue.toString(), "-o", out.toString(), "--prefix", "acme_", "--name", "zglue");
        assertEquals(1, r.exit(), "exit code: " + r);
        assertEquals(List.of("isolate: " + glue + ": the artifact libzglue.so for -lzglue would overwrite the library of the same"
                + " name; pass another --name"), r.errLines(), "stderr");
        assertEquals(List.of(), files(out), "nothing written");
        Run i = run("inspect", glue.toString(), "--name", "zglue");
        assertEquals(1, i.exit(), "inspect refuses what isolate would: " + i);
        assertEquals(r.errLines(), i.errLines(), "the same line from inspect");
    }

    @Test
    void anArtifactMayNotTakeTheNameOfAnotherMember() throws IOException {
        Path out = Tools.freshWork("naming/member-collides");
        Run r = run("isolate", fakez.toString(), glue.toString(), "-o", out.toString(), "--prefix", "acme_", "--name",
                "libz.so.1=zglue");
        assertEquals(1, r.exit(), "exit code: " + r);
        assertEquals(List.of("isolate: " + fakez + ": the artifact libzglue.so for -lzglue would overwrite the library libzglue.so of "
                + glue + "; pass another --name"), r.errLines(), "stderr");
        assertEquals(List.of(), files(out), "nothing written");
    }

    @Test
    void twoOutputsUnderOneNameAreRefused() throws IOException {
        Path out = Tools.freshWork("naming/two-outputs");
        Run r = run("isolate", fakez.toString(), glue.toString(), "-o", out.toString(), "--prefix", "acme_", "--soname",
                "libz.so.1=libzglue.so");
        assertEquals(1, r.exit(), "exit code: " + r);
        assertEquals(List.of("isolate: " + glue + ": two outputs of the bundle would be named libzglue.so (this one and " + fakez
                + "); pass --soname for one of them"), r.errLines(), "stderr");
        assertEquals(List.of(), files(out), "nothing written");

        Path zstd = fixtures.resolve("bundle-zstd/libzstd.so.1");
        Run same = run("isolate", fakez.toString(), zstd.toString(), "-o", out.toString(), "--prefix", "acme_", "--name",
                "libz.so.1=x", "--name", "libzstd.so.1=x");
        assertEquals(1, same.exit(), "exit code: " + same);
        assertEquals(List.of("isolate: " + zstd + ": its artifact libx_stubs.a would overwrite another output of the bundle; give"
                + " the members other link names"), same.errLines(), "stderr");
        assertEquals(List.of(), files(out), "nothing written");
    }

    @Test
    void aUserSonameIsReportedAsChosen() {
        Run r = ok("inspect", fakez.toString(), "--prefix", "acme_", "--soname", "libmine.so.1");
        assertEquals("  SONAME libz.so.1 -> libmine.so.1, file libmine.so.1 (chosen by the user)", r.out().lines().toList().get(1), r.toString());
    }

    // ---- SONAMEs that are no plain library file name --------------------------------------------------------

    @Test
    void aPathAsSonameGivesWayToTheFileName() throws IOException {
        Path in = fixtures.resolve("naming/libpath.so");
        assertEquals("../build/libpath.so", Checks.soname(in), "the fixture's SONAME");
        Run text = ok("inspect", in.toString(), "--prefix", "acme_");
        assertEquals(List.of(in + " (linux-x86_64)", "  SONAME ../build/libpath.so -> libacme_path.so, file libacme_path.so (the SONAME"
                + " '../build/libpath.so' is not a plain library file name: the prefix after 'lib' in the file name libpath.so)",
                "  for -lpath: libpath_stubs.a (1 stub), libpath.so (linker script), acme_isolate_path.h, acme_isolate_path.json"),
                text.out().lines().limit(3).toList(), "inspect " + text);
        Run json = ok("inspect", in.toString(), "--prefix", "acme_", "--json");
        assertTrue(json.out().contains("\"naming\": {\"from\": \"file-name\", \"reason\": \"the SONAME '../build/libpath.so' is not a"
                + " plain library file name: the prefix after 'lib' in the file name libpath.so\"},\n      \"name\": \"path\","), json.toString());

        Path out = Tools.freshWork("naming/path");
        Run r = ok("isolate", in.toString(), "-o", out.toString(), "--prefix", "acme_");
        assertEquals(List.of("acme_isolate_path.h", "acme_isolate_path.json", "libacme_path.so", "libpath.so", "libpath_stubs.a"),
                files(out), "files for " + r);
        assertEquals("libacme_path.so", Checks.soname(out.resolve("libacme_path.so")), "DT_SONAME of the output");
        Lint.assertNoNewMessages(in, out.resolve("libacme_path.so"), "acme_");
        Checks.assertDlcheck(Target.X86_64, out.resolve("libacme_path.so"), List.of("R acme_naming_value", "A naming_value"),
                Tools.work("naming").resolve("path.names"));
    }

    @Test
    void aPlaceholderInTheSonameGivesWayToTheFileName() throws IOException {
        Path in = fixtures.resolve("naming/libplaceholder_linux_x86_64.so");
        assertEquals("libplaceholder-@VERSION@.so", Checks.soname(in), "the fixture's SONAME");
        Path out = Tools.freshWork("naming/placeholder");
        Run r = ok("isolate", in.toString(), "-o", out.toString(), "--prefix", "acme_");
        assertEquals(in + " -> " + out.resolve("libacme_placeholder_linux_x86_64.so") + " (SONAME libacme_placeholder_linux_x86_64.so):"
                + " 1 renamed, 4 kept, 0 warnings", r.out().lines().findFirst().orElseThrow(), "summary of " + r);
        assertEquals("libacme_placeholder_linux_x86_64.so", Checks.soname(out.resolve("libacme_placeholder_linux_x86_64.so")));
        assertTrue(files(out).contains("libplaceholder_linux_x86_64_stubs.a"), "link name from the file name: " + files(out));
    }

    @Test
    void aJniLibraryWithAPathOrPlaceholderSonameKeepsItsFileNameAndTakesItAsSoname() throws IOException {
        for (String name : List.of("libjnipath.so", "libjniplaceholder_linux_x86_64.so")) {
            Path in = fixtures.resolve("naming").resolve(name);
            String old = Checks.soname(in);
            Run text = ok("inspect", in.toString(), "--prefix", "acme_");
            assertEquals("  SONAME " + old + " -> " + name + ", file " + name + " (a JNI library keeps its file name; its SONAME '" + old
                    + "' is not a plain library file name, so it becomes the file name)", text.out().lines().toList().get(1), text.toString());
            Path out = Tools.freshWork("naming/" + name);
            Run r = ok("isolate", in.toString(), "-o", out.toString(), "--prefix", "acme_");
            assertEquals(List.of(name), files(out), "files for " + r);
            assertEquals(name, Checks.soname(out.resolve(name)), "DT_SONAME of the output");
            Lint.assertNoNewMessages(in, out.resolve(name), "acme_");
            Checks.assertDlcheck(Target.X86_64, out.resolve(name), List.of("R Java_dev_isolate_engine_Naming_value",
                    "R acme_naming_value", "A naming_value"), Tools.work("naming").resolve(name + ".names"));
        }
    }

    @Test
    void inspectJsonHasOneShapeForOneInputOrMany() {
        Run one = ok("inspect", fakez.toString(), "--json");
        Run two = ok("inspect", fakez.toString(), glue.toString(), "--json");
        for (Run r : List.of(one, two)) {
            assertTrue(r.out().startsWith("{\n  \"libraries\": [\n    {\n      \"input\": \"libz.so.1\","), r.toString());
        }
        assertTrue(two.out().contains("\n    },\n    {\n      \"input\": \"libzglue.so\","), two.toString());
        assertFalse(two.out().contains("\"members\""), two.toString());
        Run text = ok("inspect", fakez.toString(), glue.toString());
        assertFalse(text.out().contains("null"), "no artifact named after a missing link name in a bundle: " + text);
        assertTrue(text.out().contains("\n  for -lz: libz_stubs.a (2 stubs), libz.so (linker script), isolated_isolate_z.h,"
                + " isolated_isolate_z.json\n"), text.toString());
    }

    /** What the plugin's index lists as the name a library went by: a SONAME only when it is a file name. */
    @Test
    void theOriginalNameIsTheSonameOnlyWhenItIsALibraryFileName() throws IOException {
        assertEquals("libz.so.1", Checks.inspect(fakez, "acme_").originalName());
        assertEquals("libpath.so", Checks.inspect(fixtures.resolve("naming/libpath.so"), "acme_").originalName());
        assertEquals("libjniplaceholder_linux_x86_64.so", Checks.inspect(fixtures.resolve(
                "naming/libjniplaceholder_linux_x86_64.so"), "acme_").originalName());
    }
}
