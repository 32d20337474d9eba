package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Valid libraries the engine once refused (issue 13): each must isolate, load, and lint no worse than its input.
 */
class OddValidLibrariesTest {
    /**
     * GNU ld gives a library that exports nothing a {@code .gnu.hash} with symoffset 1 and empty buckets, its
     * imports after symoffset: the table hashes no symbol and so says nothing of how many there are (once
     * refused: "sh_size says 5 symbols but the hash tables describe 1").
     */
    @Test
    void aLibraryThatExportsNothing() throws IOException {
        Tools.require("gcc", "readelf", "eu-elflint");
        Path dir = Tools.freshWork("exports-nothing");
        Files.writeString(dir.resolve("quiet.c"), "#include <stdio.h>\n#include <stdlib.h>\n"
                + "__attribute__((constructor)) static void hello(void) { if (getenv(\"QUIET_NOISE\")) puts(\"hi\"); }\n");
        Path lib = dir.resolve("libquiet.so");
        Tools.run("gcc", "-shared", "-fPIC", "-fuse-ld=bfd", "-Wl,--hash-style=gnu", "-fvisibility=hidden", "-o", lib.toString(),
                dir.resolve("quiet.c").toString()).ok();
        assertEmptyGnuHash(lib);
        isolateAndCheck(lib, dir.resolve("out"));

        // The JDK's own (java.home/lib/libsyslookup.so, JDK 17+): linked the same way.
        Path syslookup = Path.of(System.getProperty("java.home"), "lib", "libsyslookup.so");
        Tools.requireFile(syslookup, "openjdk-17-jre-headless");
        assertEmptyGnuHash(syslookup);
        isolateAndCheck(syslookup, dir.resolve("out-syslookup"));
    }

    /**
     * {@code .tbss} occupies no file or memory image: it needs a PT_TLS, not a PT_LOAD. numpy's bundled OpenBLAS
     * has it past its last PT_LOAD (once refused as "internal error"). Made here by moving a fixture's {@code .tbss}
     * header there: {@code sh_addr} of a TLS NOBITS section is informative, the loader reads PT_TLS.
     */
    @Test
    void tbssOutsideEveryLoadSegment() throws IOException {
        Tools.require("gcc", "readelf", "eu-elflint");
        Path dir = Tools.freshWork("tbss-outside");
        Files.writeString(dir.resolve("tb.c"), "__thread int tb_counter;\nint tb_bump(void) { return ++tb_counter; }\n");
        Path lib = dir.resolve("libtb.so");
        Tools.run("gcc", "-shared", "-fPIC", "-O2", "-fuse-ld=bfd", "-o", lib.toString(), dir.resolve("tb.c").toString()).ok();
        moveTbssPastLastLoad(lib);
        Report r = isolateAndCheck(lib, dir.resolve("out"));
        assertEquals(List.of("tb_bump", "tb_counter"), r.classification().renamed().stream().map(e -> e.name()).sorted().toList());
    }

    private static Report isolateAndCheck(Path lib, Path out) throws IOException {
        Report r = Checks.isolate(lib, out, Checks.PREFIX);
        Checks.assertLoads(Target.X86_64, r.output());
        Checks.assertDlcheck(Target.X86_64, r.output(), Checks.nameLines(r), out.resolve("names"));
        Lint.assertNoNewMessages(lib, r.output(), Checks.PREFIX);
        return r;
    }

    /** The {@code .gnu.hash} header says symoffset 1, and {@code .dynsym} holds more than one symbol. */
    private static void assertEmptyGnuHash(Path lib) throws IOException {
        Checks.Section gnu = Checks.section(lib, ".gnu.hash");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(lib)).order(ByteOrder.LITTLE_ENDIAN);
        int nbuckets = b.getInt((int) gnu.offset());
        int symoffset = b.getInt((int) gnu.offset() + 4);
        int bloom = b.getInt((int) gnu.offset() + 8);
        for (int i = 0; i < nbuckets; i++) {
            assertEquals(0, b.getInt((int) gnu.offset() + 16 + 8 * bloom + 4 * i), lib + ": bucket " + i + " is empty");
        }
        assertEquals(1, symoffset, lib + ": GNU ld's symoffset for a library that exports nothing");
        assertTrue(Checks.section(lib, ".dynsym").size() / 24 > 1, lib + ": imports after symoffset");
    }

    private static void moveTbssPastLastLoad(Path lib) throws IOException {
        Checks.Section tbss = Checks.section(lib, ".tbss");
        long end = 0;
        for (Checks.Load l : Checks.loads(lib)) {
            end = Math.max(end, l.vaddr() + l.memsz());
        }
        long addr = (end + 63) & -64;
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(lib)).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int at = (int) (shoff + (long) tbss.index() * shentsize);
        assertEquals(tbss.addr(), b.getLong(at + 16), "sh_addr of .tbss");
        b.putLong(at + 16, addr);
        Files.write(lib, b.array());
        assertTrue(Checks.loads(lib).stream().noneMatch(l -> addr >= l.vaddr() && addr < l.vaddr() + l.memsz()),
                ".tbss now lies in no PT_LOAD");
    }
}
