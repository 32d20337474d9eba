package dev.isolate.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks;
import dev.isolate.engine.Report;
import dev.isolate.engine.Target;
import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rewritten {@code .gnu.hash} keeps the geometry the input's linker chose (renaming changes no symbol
 * count), and the new names lie in {@code .dynstr} in the order of the old ones: a lookup of a renamed name
 * walks chains as long as the old name's did and touches memory as close together (issue 16, bench/dlsym.sh).
 */
class HashGeometryTest {
    /** nbuckets, bloom_size, bloom_shift of a library's {@code .gnu.hash}. */
    record Geometry(int nbuckets, int bloomSize, int shift2) {}

    /** GNU ld and lld size the table differently (a prime vs a quarter of the symbols; shift2 from the size vs 26): both kept. */
    @Test
    void theLinkersGeometryIsKept() throws IOException {
        Tools.require("gcc", "readelf", "ld.lld");
        Path dir = Tools.freshWork("hash-geometry");
        Path src = manyExports(dir, 700);
        Geometry[] inputs = new Geometry[2];
        int k = 0;
        for (String linker : new String[] {"bfd", "lld"}) {
            Path lib = dir.resolve("libmany-" + linker + ".so");
            Tools.run("gcc", "-shared", "-fPIC", "-fuse-ld=" + linker, "-Wl,--hash-style=gnu", "-o", lib.toString(), src.toString()).ok();
            Report r = isolate(lib, dir.resolve("out-" + linker));
            inputs[k++] = geometry(lib);
            assertEquals(geometry(lib), geometry(r.output()), linker + ": the output's .gnu.hash geometry");
            Checks.assertDlcheck(Target.X86_64, r.output(), Checks.nameLines(r), dir.resolve("names-" + linker));
        }
        assertNotEquals(inputs[0], inputs[1], "GNU ld and lld size .gnu.hash alike: the test shows nothing");
    }

    /** A geometry ld.so cannot use (shift2 of 32 or more) is not copied: the output is sized as lld sizes it. */
    @Test
    void anUnusableGeometryIsSizedAsLldWould() throws IOException {
        Tools.require("gcc", "readelf");
        Path dir = Tools.freshWork("hash-geometry-unusable");
        Path lib = dir.resolve("libmany.so");
        Tools.run("gcc", "-shared", "-fPIC", "-fuse-ld=bfd", "-Wl,--hash-style=gnu", "-o", lib.toString(),
                manyExports(dir, 700).toString()).ok();
        Checks.Section gnu = Checks.section(lib, ".gnu.hash");
        byte[] b = Files.readAllBytes(lib);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) gnu.offset() + 12, 40); // bloom_shift
        Files.write(lib, b);
        Report r = isolate(lib, dir.resolve("out"));
        int hashed = ElfFile.read(r.output()).syms.length - ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt((int) gnu.offset() + 4);
        // lld: one bucket per four symbols, 12 bloom bits per symbol rounded up to a power of two of 64-bit words, 26
        assertEquals(new Geometry(hashed / 4, Integer.highestOneBit(hashed * 12 - 1) * 2 / 64, 26), geometry(r.output()));
        Checks.assertDlcheck(Target.X86_64, r.output(), Checks.nameLines(r), dir.resolve("names"));
    }

    /** The new names are appended in the order the old ones lie in the input's {@code .dynstr}. */
    @Test
    void newNamesFollowTheOldNamesOrder() throws IOException {
        Tools.require("gcc");
        Path dir = Tools.freshWork("hash-geometry-strings");
        Path lib = dir.resolve("libmany.so");
        Tools.run("gcc", "-shared", "-fPIC", "-fuse-ld=bfd", "-o", lib.toString(), manyExports(dir, 300).toString()).ok();
        Report r = isolate(lib, dir.resolve("out"));
        ElfFile in = ElfFile.read(lib);
        ElfFile out = ElfFile.read(r.output());
        Map<String, Long> newOffset = new HashMap<>();
        for (int i = 1; i < out.syms.length; i++) {
            newOffset.put(out.name(i), out.syms[i].st_name());
        }
        List<Export> byOldOffset = r.classification().renamed().stream()
                .sorted(Comparator.comparingLong(e -> in.syms[e.index()].st_name())).toList();
        assertTrue(byOldOffset.size() >= 300, "renamed " + byOldOffset.size());
        assertNotEquals(r.classification().renamed().stream().sorted(Comparator.comparingInt(Export::index)).toList(), byOldOffset,
                "the input's names lie in .dynstr in symbol order: the test shows nothing");
        long last = -1;
        for (Export e : byOldOffset) {
            long at = newOffset.get(e.newName());
            assertTrue(at > last, e.newName() + " at " + at + ", before the name of the export ahead of it in the input (" + last + ")");
            last = at;
        }
    }

    /** A C file defining {@code n} functions, in a scrambled order so the linker's string order is not the names' order. */
    private static Path manyExports(Path dir, int n) throws IOException {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = (i * 7919) % n;
            c.append("int many_fn_").append(Integer.toString(k, 36)).append("_").append(k).append("(int x) { return x + ").append(k).append("; }\n");
        }
        Path src = dir.resolve("many.c");
        Files.writeString(src, c);
        return src;
    }

    private static Report isolate(Path lib, Path out) throws IOException {
        return Checks.isolate(lib, out, Checks.PREFIX);
    }

    private static Geometry geometry(Path lib) throws IOException {
        Checks.Section gnu = Checks.section(lib, ".gnu.hash");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(lib)).order(ByteOrder.LITTLE_ENDIAN);
        return new Geometry(b.getInt((int) gnu.offset()), b.getInt((int) gnu.offset() + 8), b.getInt((int) gnu.offset() + 12));
    }
}
