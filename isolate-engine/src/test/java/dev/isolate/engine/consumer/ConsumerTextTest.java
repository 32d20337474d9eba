package dev.isolate.engine.consumer;

import dev.isolate.engine.policy.ArtifactNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text artifacts and names, on made-up exports: what only a hostile or unusual library has. */
class ConsumerTextTest {
    static Export fn(int index, String name, String version, boolean defaultVersion) {
        return new Export(index, name, version, defaultVersion, Elf.STT_FUNC, Elf.STB_GLOBAL, Elf.STV_DEFAULT, true, "acme_" + name,
                null, List.of());
    }

    static Library library(List<Export> renamed, String soname) {
        return new Library(Path.of("/in/libodd.so.1"), null, "x86_64", "linux-x86_64", "acme_", "libodd.so.1", soname, "odd",
                new Classification(renamed, List.of(), 0, 0), dev.isolate.engine.policy.Links.NONE,
                new dev.isolate.engine.policy.Naming(soname, dev.isolate.engine.policy.Naming.Source.SONAME, ""));
    }

    @Test
    void theHeaderDefinesWhatCCanSpellOnceSortedAndListsTheRestSafely() throws IOException {
        List<Export> renamed = new ArrayList<>(List.of(fn(1, "zeta", null, true), fn(2, "alpha", "V2", true), fn(3, "alpha", "V1", false),
                fn(4, "_ZN3foo3barEv", null, true), fn(5, "bad*/name", null, true), fn(6, "int", null, true),
                fn(7, "dotted.name", null, true), fn(8, "tab\tand\u00e9", null, true), fn(9, "_under9", null, true)));
        StringBuilder sb = new StringBuilder();
        RedirectHeader.write(sb, library(renamed, "libacme_odd.so.1"));
        String h = sb.toString();
        assertTrue(h.contains("#ifndef ACME_ISOLATE_ODD_H\n#define ACME_ISOLATE_ODD_H\n"), h);
        assertTrue(h.contains("#define _under9 acme__under9\n#define alpha acme_alpha\n#define zeta acme_zeta\n"),
                "defines, sorted by bytes, alpha once:\n" + h);
        assertEquals(1, h.split("#define alpha ", -1).length - 1, "alpha defined once:\n" + h);
        for (String notDefined : List.of("#define _ZN", "#define int", "#define dotted", "#define bad")) {
            assertFalse(h.contains(notDefined), notDefined + " in:\n" + h);
        }
        assertTrue(h.contains(" *   _ZN3foo3barEv\n *   bad\\x2a\\x2fname\n *   dotted.name\n *   int\n *   tab\\x09and\\xe9\n"),
                "the others listed, sorted and escaped:\n" + h);
        // nothing closes the comment early: exactly one "*/" per comment opened
        assertEquals(h.split("/\\*", -1).length, h.split("\\*/", -1).length, "comment openers vs closers in:\n" + h);
        assertTrue(h.endsWith("#endif /* ACME_ISOLATE_ODD_H */\n"), h);
    }

    @Test
    void theLinkerScriptQuotesItsNamesAndKeepsItsCommentClosed() throws IOException {
        StringBuilder sb = new StringBuilder();
        LinkerScript.write(sb, library(List.of(), "libacme_odd*/.so.1"));
        String s = sb.toString();
        assertTrue(s.endsWith("INPUT(\"libodd_stubs.a\" AS_NEEDED(\"libacme_odd*/.so.1\"))\n"), s);
        assertEquals(1, s.split("\\*/", -1).length - 2, "one */ in the comment, one inside the quoted name:\n" + s);
    }

    @Test
    void linkNamesFromSonames() {
        for (String[] c : new String[][] {{"libzstd.so.1", "zstd"}, {"libLLVM-15.so.1", "LLVM-15"}, {"libstdc++.so.6", "stdc++"},
                {"libfoo.so", "foo"}, {"foo.so.2", "foo"}, {"libsomething.sox.so.2", "something.sox"}, {"libnoso", "noso"},
                {"lib", "lib"}}) {
            assertEquals(c[1], ArtifactNames.defaultName(c[0]), "link name of " + c[0]);
        }
        assertEquals(List.of("libzstd_stubs.a", "libzstd.so", "acme_isolate_zstd.h", "acme_isolate_zstd.json"),
                new ArtifactNames("zstd", "acme_").all(), "artifact names for -lzstd, prefix acme_");
    }

    /**
     * TextFile copies symbol names as bytes and checks the copy (Json.ByteText); a StringBuilder goes
     * char by char. Both must write the same text, escapes included, also for a name longer than
     * TextFile's buffer and for names at its buffer's edge.
     */
    @Test
    void theByteTextPathWritesWhatTheCharPathWrites() throws IOException {
        List<String> names = new ArrayList<>(List.of("plain", "quo\"te", "back\\slash", "tab\tand\u00e9", "nl\nx", "bad*/name",
                "_ZN3foo3barEv", "\u00ff\u007f\u0001", "long_" + "y".repeat(70_000) + "\"", "long_" + "z".repeat(70_000)));
        for (int i = 0; i < 3000; i++) { // enough text to fill the 64 KiB buffer several times, edges everywhere
            names.add("_ZN" + i + "name" + (i % 7 == 0 ? "\\" : "") + (i % 11 == 0 ? "*/" : ""));
        }
        List<Export> renamed = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Export e = fn(i + 1, names.get(i), i % 2 == 0 ? "V1" : null, true);
            renamed.add(new Export(e.index(), e.name(), e.version(), e.defaultVersion(), e.type(), e.bind(), e.visibility(),
                    e.defined(), e.newName(), null, List.of(dev.isolate.engine.policy.WarningCategory.VERSIONED_SYMBOL)));
        }
        Library lib = library(renamed, "libacme_odd.so.1").withSha256("0".repeat(64));
        Path dir = dev.isolate.engine.Tools.freshWork("consumer/byte-text");

        StringBuilder header = new StringBuilder();
        RedirectHeader.write(header, lib);
        try (TextFile t = new TextFile(dir.resolve("h"))) {
            RedirectHeader.write(t, lib);
        }
        assertEquals(header.toString(), java.nio.file.Files.readString(dir.resolve("h"), java.nio.charset.StandardCharsets.ISO_8859_1),
                "header through TextFile vs through a StringBuilder");
        assertTrue(header.indexOf(" *   bad\\x2a\\x2fname\n") >= 0 && header.indexOf(" *   tab\\x09and\\xe9\n") >= 0, "escaped");

        String json = dev.isolate.engine.json.Json.write(Manifest.toJson(lib));
        try (TextFile t = new TextFile(dir.resolve("j"))) {
            dev.isolate.engine.json.Json.write(t, Manifest.toJson(lib));
        }
        assertEquals(json, java.nio.file.Files.readString(dir.resolve("j"), java.nio.charset.StandardCharsets.ISO_8859_1),
                "manifest through TextFile vs through a StringBuilder");
        for (String escaped : List.of("\"name\": \"quo\\\"te\"", "\"name\": \"tab\\tand\\u00e9\"", "\"\\u00ff\\u007f\\u0001\",\n",
                "\"back\\\\slash\",\n")) {
            assertTrue(json.contains(escaped), escaped + " in the manifest");
        }
    }

    /** Names that share long prefixes, end inside each other and hold bytes past 0x7f: sorted as String sorts them. */
    @Test
    void theHeaderSortsByBytes() throws IOException {
        List<String> definable = new ArrayList<>(List.of("a", "ab", "abcdefgh", "abcdefgha", "abcdefghijklmno", "abcdefghijklmnop",
                "abcdefghijklmnopq", "abcdefghijklmnopa", "abcdefghijklmnoZ", "abcdefghijklmno_", "abcdefghijklmnop", "Z", "_", "z9",
                "abcdefghZ", "abcdefgh_xxxxxxxxxxxxx", "abcdefgh_xxxxxxxxxxxxw"));
        List<String> listed = new ArrayList<>(List.of("_ZN4llvm2cl3optIbLb0ENS0_6parserIbEEED0Ev", "_ZN4llvm2cl3optIbLb0ENS0_6parserIbEEED1Ev",
                "_ZN4llvm2cl3optIiLb0ENS0_6parserIiEEED0Ev", "_ZN4llvm2cl3opt", "_ZN4llvm2cl3op", "_ZN4llvm2cl3optI", "_ZN4llvm2cl3optI\u00e9",
                "_ZN4llvm2cl3optI\u00ff", "_ZN4llvm2cl3optI~", "_ZN\u00e9", "_ZN\u007f", "_ZN4llvm\u00e9x", "_ZN4llvm2x", "\u00e9first", "x.y", "x\u00e9", "_ZN4llvm2cl3optIbLb0ENS0_6parserIbEEED0Ev"));
        List<Export> renamed = new ArrayList<>();
        for (String n : definable) {
            renamed.add(fn(renamed.size() + 1, n, null, true));
        }
        for (String n : listed) {
            renamed.add(fn(renamed.size() + 1, n, null, true));
        }
        StringBuilder sb = new StringBuilder();
        RedirectHeader.write(sb, library(renamed, "libacme_odd.so.1"));
        List<String> defines = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        for (String line : sb.toString().split("\n")) {
            if (line.startsWith("#define ") && line.indexOf(' ', 8) > 0) {
                defines.add(line.substring(8, line.indexOf(' ', 8)));
            } else if (line.startsWith(" *   ")) {
                comments.add(line.substring(5));
            }
        }
        assertEquals(List.copyOf(new java.util.TreeSet<>(definable)), defines, "#define names: String order, each once");
        List<String> expected = new ArrayList<>();
        for (String n : new java.util.TreeSet<>(listed)) {
            StringBuilder c = new StringBuilder();
            RedirectHeader.comment(c, n);
            expected.add(c.toString());
        }
        assertEquals(expected, comments, "listed names: String order, each once");
    }

    @Test
    void memberNamesStayShortAndUnique() {
        assertEquals("s00000.o", StubArchive.memberName(0));
        assertEquals("s00042.o", StubArchive.memberName(42));
        assertEquals("s99999.o", StubArchive.memberName(99_999));
        assertEquals("s100000.o", StubArchive.memberName(100_000));
        assertEquals("s2147483647.o", StubArchive.memberName(Integer.MAX_VALUE));
    }
}
