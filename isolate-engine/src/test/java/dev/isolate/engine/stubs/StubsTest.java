package dev.isolate.engine.stubs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Consumers;
import dev.isolate.engine.Tools;
import dev.isolate.engine.ar.ArchiveWriter;
import dev.isolate.engine.ar.Members;
import dev.isolate.engine.consumer.StubArchive;
import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes that are ours alone: a stub object and a stub archive against checked-in goldens, and the
 * goldens (not the code) read back by binutils and eu-elflint, and rebuilt by GNU {@code ar}, so a
 * golden is more than "whatever the code once wrote". The archive writer against GNU {@code ar D} for
 * long member names, odd sizes and members without symbols.
 */
class StubsTest {
    static final String[] GOLDEN_STUBS = {"foo", "bar", "a_function_name_longer_than_sixteen_bytes"};

    static byte[] golden(String name) throws IOException {
        try (InputStream in = StubsTest.class.getResourceAsStream("/golden/" + name)) {
            assertTrue(in != null, "resource /golden/" + name);
            return in.readAllBytes();
        }
    }

    /** The golden copied into the work directory, for the tools. */
    static Path goldenFile(String name) throws IOException {
        Path p = Tools.work("stubs").resolve(name);
        Files.write(p, golden(name));
        return p;
    }

    static byte[] stub(String name, String target) {
        return stub(X86_64StubEmitter.INSTANCE, name, target);
    }

    static byte[] stub(dev.isolate.engine.stubs.StubEmitter emitter, String name, String target) {
        StubObject o = new StubObject(emitter);
        int size = o.size(name, target);
        ByteBuffer b = ByteBuffer.allocate(size + 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < b.capacity(); i++) { // a dirty buffer, written at an offset: the object zeroes its own padding
            b.put(i, (byte) 0xa5);
        }
        b.position(7);
        o.write(b, name, target);
        assertEquals(7 + size, b.position(), "position after writing the stub for " + name);
        byte[] out = new byte[size];
        b.get(7, out);
        return out;
    }

    static List<Export> functions(String... names) {
        List<Export> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            out.add(new Export(i + 1, names[i], null, true, Elf.STT_FUNC, Elf.STB_GLOBAL, Elf.STV_DEFAULT, true, "acme_" + names[i],
                    null, List.of()));
        }
        return out;
    }

    static byte[] stubArchive(List<Export> exports) throws IOException {
        Path p = Tools.work("stubs").resolve("written.a");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            StubArchive.write(ch, exports, X86_64StubEmitter.INSTANCE);
        }
        return Files.readAllBytes(p);
    }

    @Test
    void theStubObjectIsTheGolden() throws IOException {
        assertArrayEquals(golden("stub-x86_64-foo.o"), stub("foo", "acme_foo"), "stub object for foo -> acme_foo vs "
                + "src/test/resources/golden/stub-x86_64-foo.o");
    }

    @Test
    void theAarch64StubObjectIsTheGolden() throws IOException {
        assertArrayEquals(golden("stub-aarch64-foo.o"), stub(dev.isolate.engine.stubs.Aarch64StubEmitter.INSTANCE, "foo", "acme_foo"),
                "aarch64 stub object for foo -> acme_foo vs src/test/resources/golden/stub-aarch64-foo.o");
    }

    /** The aarch64 golden read by the aarch64 binutils: bti c; b acme_foo with R_AARCH64_JUMP26, BTI and PAC claimed. */
    @Test
    void theAarch64GoldenIsAHiddenFunctionWithALandingPadBranchingToThePrefixedName() throws IOException {
        Tools.require("aarch64-linux-gnu-readelf", "aarch64-linux-gnu-objdump", "eu-elflint");
        Path o = goldenFile("stub-aarch64-foo.o");
        Tools.Result all = Tools.run("aarch64-linux-gnu-readelf", "-a", "-W", o.toString());
        Consumers.assertQuiet(all);
        for (String expected : List.of("Type:                              REL (Relocatable file)",
                "Machine:                           AArch64",
                "] .text             PROGBITS        0000000000000000 000040 000008 00  AX  0   0  4",
                "] .note.GNU-stack   PROGBITS",
                "0000000000000004  000000020000011a R_AARCH64_JUMP26       0000000000000000 acme_foo + 0",
                "1: 0000000000000000     8 FUNC    GLOBAL HIDDEN     1 foo",
                "2: 0000000000000000     0 NOTYPE  GLOBAL DEFAULT  UND acme_foo",
                "Properties: AArch64 feature: BTI, PAC")) {
            assertTrue(all.out().contains(expected), "`aarch64-linux-gnu-readelf -a -W " + o + "` contains '" + expected + "':\n" + all.out());
        }
        Tools.Result dis = Tools.run("aarch64-linux-gnu-objdump", "-d", "-r", o.toString());
        Consumers.assertQuiet(dis);
        String d = dis.out().replaceAll("[ \t]+", " ");
        assertTrue(d.contains("0: d503245f bti c") && d.contains("4: 14000000 b 0 <acme_foo>")
                && d.contains("4: R_AARCH64_JUMP26 acme_foo"), "objdump -d -r " + o + ":\n" + dis.out());
        Tools.Result lint = Tools.runMerged("eu-elflint", "--gnu-ld", o.toString());
        assertTrue(lint.exit() == 0 && lint.out().strip().endsWith("No errors"), "eu-elflint " + o + ": " + lint.describe());
    }

    @Test
    void theStubArchiveIsTheGolden() throws IOException {
        assertArrayEquals(golden("stubs-x86_64.a"), stubArchive(functions(GOLDEN_STUBS)), "stub archive vs "
                + "src/test/resources/golden/stubs-x86_64.a");
    }

    @Test
    void theGoldenObjectIsAHiddenSizedFunctionJumpingThroughThePlt() throws IOException {
        Path o = goldenFile("stub-x86_64-foo.o");
        Tools.Result all = Tools.run("readelf", "-a", "-W", o.toString());
        Consumers.assertQuiet(all);
        String a = all.out();
        for (String expected : List.of("Type:                              REL (Relocatable file)",
                "Machine:                           Advanced Micro Devices X86-64",
                // Nr Name Type Address Off Size ES Flg Lk Inf Al
                "] .text             PROGBITS        0000000000000000 000040 000009 00  AX  0   0 16",
                "] .rela.text        RELA            0000000000000000 000050 000018 18   I  5   1  8",
                "] .note.GNU-stack   PROGBITS        0000000000000000 000049 000000 00      0   0  1",
                "] .note.gnu.property NOTE            0000000000000000 000068 000020 00   A  0   0  8",
                "] .symtab           SYMTAB          0000000000000000 000088 000048 18      6   1  8",
                "0000000000000005  0000000200000004 R_X86_64_PLT32         0000000000000000 acme_foo - 4",
                "1: 0000000000000000     9 FUNC    GLOBAL HIDDEN     1 foo",
                "2: 0000000000000000     0 NOTYPE  GLOBAL DEFAULT  UND acme_foo",
                "Properties: x86 feature: IBT, SHSTK")) {
            assertTrue(a.contains(expected), "`readelf -a -W " + o + "` contains '" + expected + "':\n" + a);
        }
        Tools.Result dis = Tools.run("objdump", "-d", "-r", o.toString());
        Consumers.assertQuiet(dis);
        String d = dis.out().replaceAll("[ \t]+", " ");
        assertTrue(d.contains("0: f3 0f 1e fa endbr64") && d.contains("4: e9 00 00 00 00 jmp")
                && d.contains("5: R_X86_64_PLT32 acme_foo-0x4"), "objdump -d -r " + o + ":\n" + dis.out());
        Tools.require("eu-elflint");
        Tools.Result lint = Tools.runMerged("eu-elflint", "--gnu-ld", o.toString());
        assertTrue(lint.exit() == 0 && lint.out().strip().endsWith("No errors"), "eu-elflint " + o + ": " + lint.describe());
    }

    @Test
    void theGoldenArchiveIsWhatGnuArWritesForItsMembers() throws IOException {
        Tools.require("ar", "nm");
        Path a = goldenFile("stubs-x86_64.a");
        Tools.Result t = Tools.run("ar", "t", a.toString());
        Consumers.assertQuiet(t);
        assertEquals(List.of("s00000.o", "s00001.o", "s00002.o"), t.out().lines().toList(), "ar t " + a);
        assertEquals(Map.of("foo", "s00000.o", "bar", "s00001.o", GOLDEN_STUBS[2], "s00002.o"), Consumers.archiveIndex(a),
                "the index of " + a + " per nm -s");
        Path members = Tools.freshWork("stubs/golden-members");
        Tools.run(List.of("sh", "-c", "cd '" + members + "' && ar x '" + a + "' && ar rcsD rebuilt.a s00000.o s00001.o s00002.o"),
                Tools.DEFAULT_TIMEOUT, true).ok();
        assertArrayEquals(golden("stubs-x86_64.a"), Files.readAllBytes(members.resolve("rebuilt.a")),
                "the golden archive vs GNU `ar rcsD` of its own members");
    }

    @Test
    void theArchiveWriterWritesWhatGnuArWritesWithLongNamesOddSizesAndNoSymbols() throws IOException {
        Tools.require("ar");
        Path dir = Tools.freshWork("stubs/ar");
        // members: a stub with a long member name, an odd-sized text file (no symbols), a stub with a short name
        List<String> names = List.of("a_member_name_longer_than_fifteen_bytes.o", "notes.txt", "short.o", "another_long_member.o");
        List<byte[]> contents = List.of(stub("long_member_function", "acme_long_member_function"),
                "odd-sized text, no symbols\n".getBytes(StandardCharsets.ISO_8859_1), stub("s", "acme_s"),
                stub("f_" + "x".repeat(4000), "acme_f_" + "x".repeat(4000)));
        List<List<String>> symbols = List.of(List.of("long_member_function"), List.of(), List.of("s"), List.of("f_" + "x".repeat(4000)));
        for (int i = 0; i < names.size(); i++) {
            Files.write(dir.resolve(names.get(i)), contents.get(i));
        }
        assertEquals(1, contents.get(1).length % 2, "the text member is odd-sized");
        Path ours = dir.resolve("ours.a");
        try (FileChannel ch = FileChannel.open(ours, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = ArchiveWriter.write(ch, members(names, contents, symbols));
            assertEquals(size, ch.size(), "returned size vs the file");
        }
        Tools.run(List.of("sh", "-c", "cd '" + dir + "' && ar rcsD gnu.a " + String.join(" ", names)), Tools.DEFAULT_TIMEOUT, true).ok();
        assertArrayEquals(Files.readAllBytes(dir.resolve("gnu.a")), Files.readAllBytes(ours), "ours.a vs GNU `ar rcsD` in " + dir);

        // and without any symbol there is no index at all, as with GNU ar on plain files
        Path plain = dir.resolve("plain.a");
        try (FileChannel ch = FileChannel.open(plain, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ArchiveWriter.write(ch, members(names.subList(1, 2), contents.subList(1, 2), symbols.subList(1, 2)));
        }
        Tools.run(List.of("sh", "-c", "cd '" + dir + "' && ar rcsD gnu-plain.a notes.txt"), Tools.DEFAULT_TIMEOUT, true).ok();
        assertArrayEquals(Files.readAllBytes(dir.resolve("gnu-plain.a")), Files.readAllBytes(plain), "plain.a vs GNU ar in " + dir);
    }

    private static Members members(List<String> names, List<byte[]> contents, List<List<String>> symbols) {
        return new Members() {
            @Override
            public int count() {
                return names.size();
            }

            @Override
            public String name(int i) {
                return names.get(i);
            }

            @Override
            public long size(int i) {
                return contents.get(i).length;
            }

            @Override
            public int symbolCount(int i) {
                return symbols.get(i).size();
            }

            @Override
            public String symbol(int i, int k) {
                return symbols.get(i).get(k);
            }

            @Override
            public void write(int i, ByteBuffer out) {
                out.put(contents.get(i));
            }
        };
    }

    @Test
    void aFourThousandByteNameLinksAndRuns() throws IOException {
        Tools.require("gcc");
        Path dir = Tools.freshWork("stubs/long-name");
        String name = "f_" + "x".repeat(4000);
        Path lib = dir.resolve("libacme_long.so");
        Path libSrc = dir.resolve("long.c");
        Files.writeString(libSrc, "int acme_" + name + "(int a) { return a + 1; }\n");
        Consumers.build("gcc", "-shared", "-fPIC", "-o", lib.toString(), libSrc.toString());
        Files.write(dir.resolve("liblong_stubs.a"), stubArchive(functions(name)));
        Path main = dir.resolve("main.c");
        Files.writeString(main, "int " + name + "(int);\nint main(void) { return " + name + "(41) == 42 ? 0 : 1; }\n");
        Path exe = dir.resolve("main");
        Consumers.build("gcc", "-o", exe.toString(), main.toString(), "-L" + dir, "-llong_stubs", lib.toString(), "-Wl,-rpath," + dir);
        Tools.Result r = Tools.runMerged(exe.toString());
        assertEquals(0, r.exit(), "calling a 4002-byte name through its stub: " + r.describe());
    }
}
