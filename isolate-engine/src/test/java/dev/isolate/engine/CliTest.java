package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command line through {@link Main#run}: exit codes, one-line errors, help, JSON, policy options. */
class CliTest {
    static final Path LIBZ = Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1");
    static Path kitchen;

    @BeforeAll
    static void fixtures() {
        kitchen = Tools.fixtures().resolve("libkitchen-gnu.so");
    }

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + Tools.tail(out, 3000) + "\n--- stderr:\n" + Tools.tail(err, 3000);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, o, e);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "stack trace in the output of the command: " + r);
    }

    @Test
    void noArgumentsIsAUsageError() {
        Run r = run();
        assertEquals(2, r.exit(), "exit code with no arguments: " + r);
        assertTrue(r.err().contains("usage:"), "usage on stderr with no arguments: " + r);
    }

    @Test
    void help() {
        Run r = run("--help");
        assertEquals(0, r.exit(), "exit code of --help: " + r);
        assertTrue(r.out().contains("usage:"), "usage on stdout for --help: " + r);
        for (String cmd : List.of("inspect", "rename")) {
            Run c = run(cmd, "--help");
            assertEquals(0, c.exit(), "exit code of '" + cmd + " --help': " + c);
            assertTrue(c.out().contains("usage: isolate " + cmd), "usage of " + cmd + " on stdout: " + c);
        }
        assertEquals(run("rename", "--help").out(), run("isolate", "--help").out(), "'isolate isolate' is 'isolate rename'");
    }

    /** The verb that does not repeat the tool's name, and its first spelling: the same run, the same bytes. */
    @Test
    void renameAndIsolateAreOneCommand() throws IOException {
        Path a = Tools.freshWork("cli/verb-rename");
        Path b = Tools.freshWork("cli/verb-isolate");
        Run ra = run("rename", kitchen.toString(), "-o", a.toString(), "--prefix", "acme_");
        Run rb = run("isolate", kitchen.toString(), "-o", b.toString(), "--prefix", "acme_");
        assertEquals(0, ra.exit(), "rename: " + ra);
        assertEquals(ra.out().replace(a.toString(), "OUT"), rb.out().replace(b.toString(), "OUT"), "what each prints");
        List<String> files;
        try (var s = Files.list(a)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(5, files.size(), "the library and four artifacts: " + files);
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        Run usage = run("rename", kitchen.toString());
        assertEquals(2, usage.exit(), "rename without -o: " + usage);
        assertTrue(usage.err().startsWith("isolate: rename needs INPUT, -o DIR and --prefix P\n"), usage.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("inspect", kitchen.toString(), "--frobnicate");
        assertEquals(2, r.exit(), "exit code for an unknown option: " + r);
        List<String> isolateLines = r.errLines().stream().filter(l -> l.startsWith("isolate:")).toList();
        assertEquals(1, isolateLines.size(), "lines starting 'isolate:' on stderr: " + r);
        assertTrue(isolateLines.get(0).contains("--frobnicate"), "the error names the option: " + r);
        assertTrue(r.err().contains("usage:"), "usage follows the error: " + r);
        assertNoStackTrace(r);
    }

    @Test
    void missingFileIsOneLine() {
        Path missing = Tools.work("cli").resolve("no-such-lib.so");
        for (String[] args : List.of(new String[] {"inspect", missing.toString()},
                new String[] {"isolate", missing.toString(), "-o", Tools.work("cli/out-missing").toString(), "--prefix", "acme_"})) {
            Run r = run(args);
            assertEquals(1, r.exit(), "exit code for a missing file (" + args[0] + "): " + r);
            assertEquals(1, r.errLines().size(), "stderr lines for a missing file (" + args[0] + "): " + r);
            assertTrue(r.err().contains(missing.toString()), "the error names the file: " + r);
            assertNoStackTrace(r);
        }
    }

    @Test
    void textFileIsOneLineNamingIt() throws IOException {
        Path text = Tools.work("cli").resolve("notes.txt");
        Files.writeString(text, "just some text\n");
        Run r = run("isolate", text.toString(), "-o", Tools.freshWork("cli/out-text").toString(), "--prefix", "acme_");
        assertEquals(1, r.exit(), "exit code for a text file: " + r);
        assertEquals(1, r.errLines().size(), "stderr lines for a text file: " + r);
        assertTrue(r.errLines().get(0).contains(text.toString()), "the error names the file: " + r);
        assertNoStackTrace(r);
        try (Stream<Path> s = Files.list(Tools.work("cli/out-text"))) {
            assertEquals(List.of(), s.toList(), "files written for a text file");
        }
    }

    @Test
    void inspectJson() {
        Tools.requireFile(LIBZ, "zlib1g");
        Run r = run("inspect", LIBZ.toString(), "--json");
        assertEquals(0, r.exit(), "exit code of inspect --json: " + r);
        String j = r.out().strip();
        assertTrue(j.startsWith("{\n  \"libraries\": [\n    {\n      \"input\": \"libz.so.1\",") && j.endsWith("}\n  ]\n}"),
                "inspect --json of one INPUT prints {\"libraries\": [one object]}: " + r);
        assertTrue(j.contains("\"newSoname\": \"libisolated_z.so.1\""), "newSoname (default prefix isolated_) in: " + r);
        assertTrue(j.contains("\"naming\": {\"from\": \"soname\", \"reason\": \"the prefix after 'lib' in the SONAME\"}"),
                "where the new SONAME came from in: " + r);
        assertTrue(j.contains("\"renamed\": ["), "renamed list in: " + r);
        assertTrue(j.contains("\"newName\": \"isolated_crc32\""), "crc32 renamed to isolated_crc32 in: " + r);
        assertTrue(r.err().isEmpty(), "stderr of inspect --json: " + r);
    }

    /** The platform comes from the ELF header: an aarch64 library inspected on this x86_64 host says linux-aarch_64. */
    @Test
    void inspectReportsThePlatformOfTheInput() {
        for (Target t : Target.values()) {
            Path lib = t.fixtures().resolve("libkitchen-gnu.so");
            Run text = run("inspect", lib.toString());
            assertEquals(0, text.exit(), "exit code of inspect " + lib + ": " + text);
            assertTrue(text.out().startsWith(lib + " (" + t.platform + ")\n"), "first line of inspect " + lib + ": " + text);
            Run json = run("inspect", lib.toString(), "--json");
            assertEquals(0, json.exit(), "exit code of inspect --json " + lib + ": " + json);
            assertTrue(json.out().contains("\"machine\": \"" + t.arch + "\""), "machine in inspect --json " + lib + ": " + json);
            assertTrue(json.out().contains("\"platform\": \"" + t.platform + "\""), "platform in inspect --json " + lib + ": " + json);
        }
    }

    @Test
    void werrorFailsOnObjectSymbols() {
        Run r = run("isolate", kitchen.toString(), "-o", Tools.freshWork("cli/out-werror").toString(), "--prefix", "acme_", "--werror");
        assertEquals(1, r.exit(), "exit code of --werror on libkitchen: " + r);
        assertEquals(1, r.errLines().size(), "stderr lines of --werror: " + r);
        assertTrue(r.err().contains("object-symbol"), "--werror names the object-symbol category: " + r);
        assertNoStackTrace(r);
        try (Stream<Path> s = Files.list(Tools.work("cli/out-werror"))) {
            assertEquals(List.of(), s.toList(), "files written when --werror fails");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void werrorWithEveryCategoryAllowed() {
        Path out = Tools.freshWork("cli/out-allowed");
        Run r = run("isolate", kitchen.toString(), "-o", out.toString(), "--prefix", "acme_", "--werror", "--allow-object-symbol",
                "--allow-tls-symbol", "--allow-ifunc-symbol", "--allow-weak-override");
        assertEquals(0, r.exit(), "exit code of --werror with the kitchen's categories allowed: " + r);
        assertTrue(Files.isRegularFile(out.resolve("libacme_kitchen.so.1")), "output written: " + r);
    }

    @Test
    void badPrefix() {
        Run r = run("isolate", kitchen.toString(), "-o", Tools.freshWork("cli/out-prefix").toString(), "--prefix", "1abc");
        assertTrue(r.exit() == 1 || r.exit() == 2, "exit code for prefix 1abc: " + r);
        assertTrue(r.err().contains("1abc") && r.err().contains("prefix"), "the error mentions the prefix: " + r);
        assertNoStackTrace(r);
        Run i = run("inspect", kitchen.toString(), "--prefix", "1abc");
        assertTrue(i.exit() == 1 || i.exit() == 2, "exit code of inspect with prefix 1abc: " + i);
        assertTrue(i.err().contains("1abc"), "the inspect error mentions the prefix: " + i);
    }

    @Test
    void excludeKeepsMatchingExports() {
        Run r = run("inspect", kitchen.toString(), "--prefix", "acme_", "--exclude", "kz_*", "--json");
        assertEquals(0, r.exit(), "exit code of inspect --exclude: " + r);
        assertTrue(Pattern.compile("\"name\": \"kz_add\",\\s*\"reason\": \"user-excluded\"").matcher(r.out()).find(),
                "kz_add kept with reason user-excluded in: " + r);
        assertFalse(r.out().contains("\"newName\": \"acme_kz_add\""), "kz_add not renamed with --exclude 'kz_*': " + r);
    }

    @Test
    void isolatingTwiceIsRefused() {
        Path first = Tools.freshWork("cli/out-once");
        Run r1 = run("isolate", kitchen.toString(), "-o", first.toString(), "--prefix", "acme_");
        assertEquals(0, r1.exit(), "first isolate: " + r1);
        Path once = first.resolve("libacme_kitchen.so.1");
        Path second = Tools.freshWork("cli/out-twice");
        Run r2 = run("isolate", once.toString(), "-o", second.toString(), "--prefix", "acme_");
        assertEquals(1, r2.exit(), "exit code of isolating " + once + " again with the same prefix: " + r2);
        assertEquals(1, r2.errLines().size(), "stderr lines: " + r2);
        assertTrue(r2.err().contains("already"), "the refusal says 'already': " + r2);
        assertNoStackTrace(r2);
    }

    @Test
    void theManifestIsWhatInspectJsonPrints() throws IOException {
        Path out = Tools.freshWork("cli/out-manifest");
        Run iso = run("isolate", kitchen.toString(), "-o", out.toString(), "--prefix", "acme_", "--name", "kitchen2");
        assertEquals(0, iso.exit(), "isolate --name kitchen2: " + iso);
        assertTrue(iso.out().contains("-lkitchen2: libkitchen2_stubs.a ("), "the summary names the artifacts: " + iso);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("acme_isolate_kitchen2.h", "acme_isolate_kitchen2.json", "libacme_kitchen.so.1", "libkitchen2.so",
                    "libkitchen2_stubs.a"), s.map(p -> p.getFileName().toString()).sorted().toList(), "files in " + out);
        }
        Run json = run("inspect", kitchen.toString(), "--prefix", "acme_", "--name", "kitchen2", "--json");
        assertEquals(0, json.exit(), "inspect --json: " + json);
        assertEquals(onlyLibrary(json.out()), Files.readString(out.resolve("acme_isolate_kitchen2.json")),
                "the manifest vs the one library of inspect --json with the same options");
        assertTrue(Pattern.compile("\"inputSha256\": \"[0-9a-f]{64}\"").matcher(json.out()).find(), "inputSha256 in: " + json);
        assertTrue(json.out().contains("\"name\": \"kz_counter\", \"newName\": \"acme_kz_counter\", \"type\": \"OBJECT\", "
                + "\"bind\": \"GLOBAL\", \"version\": null, \"defaultVersion\": true, \"stub\": false, \"noStub\": \"data\"}"),
                "kz_counter without a stub in: " + json);
    }

    /** The one element of {@code {"libraries": [...]}} as the manifest writes it: four spaces less indented. */
    static String onlyLibrary(String json) {
        List<String> lines = json.lines().toList();
        assertEquals(List.of("{", "  \"libraries\": [", "    {"), lines.subList(0, 3), "start of " + json);
        assertEquals(List.of("    }", "  ]", "}"), lines.subList(lines.size() - 3, lines.size()), "end of " + json);
        StringBuilder sb = new StringBuilder();
        for (String l : lines.subList(2, lines.size() - 2)) {
            assertTrue(l.startsWith("    "), "indented: " + l);
            sb.append(l.substring(4)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void inspectTextSaysWhichExportsGetAStub() {
        Run r = run("inspect", kitchen.toString(), "--prefix", "acme_");
        assertEquals(0, r.exit(), "inspect: " + r);
        assertTrue(r.out().contains("kz_add -> acme_kz_add  [FUNC GLOBAL, stub]"), "kz_add with a stub in: " + r);
        assertTrue(r.out().contains("kz_fast -> acme_kz_fast  [GNU_IFUNC GLOBAL, stub]"), "the IFUNC kz_fast with a stub in: " + r);
        assertTrue(r.out().contains("kz_tls -> acme_kz_tls  [TLS GLOBAL, no stub: thread-local"), "kz_tls without a stub in: " + r);
        assertTrue(r.out().contains("for -lkitchen: libkitchen_stubs.a ("), "the artifacts for -lkitchen in: " + r);
    }

    @Test
    void badLinkNameIsOneLine() {
        Path out = Tools.freshWork("cli/out-badname");
        for (String[] args : List.of(new String[] {"isolate", kitchen.toString(), "-o", out.toString(), "--prefix", "acme_", "--name",
                "a/b"}, new String[] {"inspect", kitchen.toString(), "--name", "a b"})) {
            Run r = run(args);
            assertTrue(r.exit() == 1 || r.exit() == 2, "exit code for --name " + args[args.length - 1] + ": " + r);
            assertTrue(r.errLines().get(0).contains("--name"), "the error names --name: " + r);
            assertNoStackTrace(r);
        }
    }

    @Test
    void anArtifactThatWouldOverwriteTheLibraryIsRefused() throws IOException {
        Path out = Tools.freshWork("cli/out-collision");
        Run r = run("isolate", kitchen.toString(), "-o", out.toString(), "--prefix", "acme_", "--soname", "libacme_kitchen.so",
                "--name", "acme_kitchen");
        assertEquals(1, r.exit(), "exit code when libN.so is the library's own name: " + r);
        assertEquals(1, r.errLines().size(), "stderr lines: " + r);
        assertTrue(r.err().contains("libacme_kitchen.so") && r.err().contains("--name"), "the error names the file and --name: " + r);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "files written when the names collide");
        }
    }

    @Test
    void whenAnArtifactCannotBeWrittenNothingIsWritten() throws IOException {
        Path out = Tools.freshWork("cli/out-artifact-fails");
        // a directory where the stub archive's temporary file goes: the artifact writer fails, late
        Path blocker = out.resolve(".libkitchen_stubs.a.tmp" + ProcessHandle.current().pid());
        Files.createDirectories(blocker.resolve("inside"));
        Run r = run("isolate", kitchen.toString(), "-o", out.toString(), "--prefix", "acme_");
        assertEquals(1, r.exit(), "exit code when the stub archive cannot be written: " + r);
        assertEquals(1, r.errLines().size(), "stderr lines: " + r);
        assertNoStackTrace(r);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(blocker), s.toList(), "files in " + out + " after the failure (only the planted directory)");
        }
    }
}
