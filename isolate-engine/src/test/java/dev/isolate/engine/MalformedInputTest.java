package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isolate.engine.elf.ElfFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Truncated and mutated copies of libkitchen-gnu.so: the engine may succeed or throw ElfFormatException /
 * IsolateException, never anything else, and never leaves a file behind when it throws.
 */
class MalformedInputTest {
    /** Override with -Disolate.malformed.seed / -Disolate.malformed.mutations to explore further. */
    static final long SEED = Long.decode(System.getProperty("isolate.malformed.seed", "0x1501A7E"));
    static final int MUTATIONS = Integer.getInteger("isolate.malformed.mutations", 4000);
    /** A single case taking longer than this is reported as a hang. */
    static final long CASE_TIMEOUT_MS = 10_000;

    static byte[] original;
    static Elf elf;

    /** A minimal, independent ELF64 little-endian header reader, just enough to find structure boundaries. */
    record Elf(long phoff, int phentsize, int phnum, long shoff, int shentsize, int shnum, List<long[]> phdrs, List<long[]> shdrs,
            long dynOff, long dynSize) {
        static Elf parse(byte[] b) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long phoff = bb.getLong(32);
            long shoff = bb.getLong(40);
            int phentsize = bb.getShort(54) & 0xffff;
            int phnum = bb.getShort(56) & 0xffff;
            int shentsize = bb.getShort(58) & 0xffff;
            int shnum = bb.getShort(60) & 0xffff;
            List<long[]> ph = new ArrayList<>();
            long dynOff = -1;
            long dynSize = 0;
            for (int i = 0; i < phnum; i++) {
                int o = (int) (phoff + (long) i * phentsize);
                long type = bb.getInt(o) & 0xffffffffL;
                long off = bb.getLong(o + 8);
                long filesz = bb.getLong(o + 32);
                ph.add(new long[] {type, off, filesz});
                if (type == 2) { // PT_DYNAMIC
                    dynOff = off;
                    dynSize = filesz;
                }
            }
            List<long[]> sh = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int o = (int) (shoff + (long) i * shentsize);
                long type = bb.getInt(o + 4) & 0xffffffffL;
                long off = bb.getLong(o + 24);
                long size = bb.getLong(o + 32);
                sh.add(new long[] {type, off, size});
            }
            return new Elf(phoff, phentsize, phnum, shoff, shentsize, shnum, ph, sh, dynOff, dynSize);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        original = Files.readAllBytes(Tools.fixtures().resolve("libkitchen-gnu.so"));
        elf = Elf.parse(original);
        assertTrue(elf.dynOff() > 0, "PT_DYNAMIC in libkitchen-gnu.so");
    }

    // ---- running one case -----------------------------------------------------------------------------------

    record Case(String description, byte[] bytes) {}

    /** Runs one case in {@code dir}; returns null when the engine behaved, else what went wrong. */
    static String runCase(Case c, Path dir) throws IOException {
        Tools.deleteContents(dir);
        Path input = dir.resolve("input.so");
        Files.write(input, c.bytes());
        try {
            Report r = Checks.isolate(input, dir, "acme_");
            Path out = r.output().toAbsolutePath().normalize();
            if (!dir.toAbsolutePath().normalize().equals(out.getParent())) {
                return "succeeded but wrote " + r.output() + " outside the output directory " + dir;
            }
            return null;
        } catch (ElfFormatException | IsolateException e) {
            // A refusal names where: the byte offset of the structure at fault (issue 13: 177 once named none).
            if (e instanceof ElfFormatException f && (!f.located() || !f.getMessage().contains(" at byte 0x"))) {
                return "refused without a byte offset: " + f.getMessage();
            }
            if (e.getMessage().lines().count() != 1) {
                return "refused in more than one line: " + e.getMessage();
            }
            List<String> left;
            try (Stream<Path> s = Files.list(dir)) {
                left = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            if (!left.equals(List.of("input.so"))) {
                return "threw " + e + " but left files behind in the output directory: " + left;
            }
            return null;
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            String trace = sw.toString().lines().limit(8).reduce((a, b) -> a + "\n" + b).orElse("");
            return "threw " + trace;
        }
    }

    /**
     * Runs every case on a worker thread, watched: an exception other than the two allowed, a leftover
     * file, or a case running over {@link #CASE_TIMEOUT_MS} is collected, and all failures are reported.
     */
    static void runAll(List<Case> cases, String name) throws Exception {
        Path dir = Tools.freshWork("malformed/" + name);
        Map<String, String> failures = new LinkedHashMap<>();
        int[] done = {0};
        long[] started = {System.currentTimeMillis()};
        String[] current = {null};
        Throwable[] crashed = {null};
        Thread worker = new Thread(() -> {
            try {
                for (Case c : cases) {
                    synchronized (done) {
                        current[0] = c.description();
                        started[0] = System.currentTimeMillis();
                    }
                    String problem = runCase(c, dir);
                    synchronized (done) {
                        if (problem != null) {
                            failures.put(c.description(), problem);
                        }
                        done[0]++;
                        current[0] = null;
                    }
                }
            } catch (Throwable t) {
                crashed[0] = t;
            }
        }, "malformed-" + name);
        worker.setDaemon(true);
        worker.start();
        while (worker.isAlive()) {
            worker.join(100);
            synchronized (done) {
                if (current[0] != null && System.currentTimeMillis() - started[0] > CASE_TIMEOUT_MS) {
                    fail("isolate did not finish within " + CASE_TIMEOUT_MS + " ms on " + current[0] + " (case " + (done[0] + 1) + " of "
                            + cases.size() + "; a loop or a huge allocation?)" + summary(failures));
                }
            }
        }
        if (crashed[0] != null) {
            throw new AssertionError("the test harness failed", crashed[0]);
        }
        assertEquals(cases.size(), done[0], "cases run");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " " + name + " cases let another exception out, left files behind or"
                    + " wrote outside the output directory" + summary(failures));
        }
    }

    private static String summary(Map<String, String> failures) {
        if (failures.isEmpty()) {
            return "";
        }
        // Group by the first line of the problem so that one bug does not hide another.
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : failures.entrySet()) {
            String kind = e.getValue().lines().findFirst().orElse("").replaceAll("0x\\p{XDigit}+|\\d+", "#");
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(e.getKey());
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, List<String>> e : byKind.entrySet()) {
            String first = e.getValue().get(0);
            sb.append("\n\n").append(e.getValue().size()).append(" x ").append(e.getKey()).append("\n  e.g. ").append(first).append(":\n    ")
                    .append(failures.get(first).replace("\n", "\n    "));
            for (String other : e.getValue().subList(1, Math.min(4, e.getValue().size()))) {
                sb.append("\n  also ").append(other);
            }
            if (++shown == 12) {
                sb.append("\n\n... ").append(byKind.size() - shown).append(" more kinds");
                break;
            }
        }
        return sb.toString();
    }

    // ---- (a) truncations ------------------------------------------------------------------------------------

    @Test
    void truncatedAtEveryStructureBoundary() throws Exception {
        Set<Long> cuts = new TreeSet<>();
        for (long c : new long[] {0, 1, 3, 4, 5, 16, 17, 18, 20, 24, 32, 40, 48, 52, 54, 56, 58, 60, 62, 63, 64}) {
            cuts.add(c);
        }
        for (int i = 0; i <= elf.phnum(); i++) {
            long at = elf.phoff() + (long) i * elf.phentsize();
            cuts.add(at);
            cuts.add(at + elf.phentsize() / 2);
        }
        for (int i = 0; i <= elf.shnum(); i++) {
            long at = elf.shoff() + (long) i * elf.shentsize();
            cuts.add(at);
            cuts.add(at + elf.shentsize() / 2);
        }
        for (long[] p : elf.phdrs()) {
            cuts.add(p[1]);
            cuts.add(p[1] + p[2]);
            cuts.add(p[1] + p[2] - 1);
        }
        for (long[] s : elf.shdrs()) {
            if (s[0] != 8 && s[0] != 0) { // not NOBITS / NULL
                cuts.add(s[1]);
                cuts.add(s[1] + s[2]);
                cuts.add(s[1] + s[2] - 1);
            }
        }
        cuts.add(elf.dynOff());
        cuts.add(elf.dynOff() + elf.dynSize());
        for (long d = elf.dynOff(); d < elf.dynOff() + elf.dynSize(); d += 16) {
            cuts.add(d + 8);
        }
        for (long c = 0; c < original.length; c += 64) {
            cuts.add(c);
        }
        cuts.add((long) original.length - 1);
        List<Case> cases = new ArrayList<>();
        for (long c : cuts) {
            if (c >= 0 && c < original.length) {
                cases.add(new Case("truncated to " + c + " (0x" + Long.toHexString(c) + ") bytes", Arrays.copyOf(original, (int) c)));
            }
        }
        assertTrue(cases.size() > 200, "truncation cases: " + cases.size());
        runAll(cases, "truncated");
    }

    // ---- (b) mutations --------------------------------------------------------------------------------------

    /** A header field: where it is, how wide, what it is called. */
    record Field(String name, long offset, int width) {}

    static List<Field> fields() {
        List<Field> f = new ArrayList<>();
        Object[][] ehdr = {{"e_type", 16, 2}, {"e_machine", 18, 2}, {"e_version", 20, 4}, {"e_entry", 24, 8}, {"e_phoff", 32, 8},
                {"e_shoff", 40, 8}, {"e_flags", 48, 4}, {"e_ehsize", 52, 2}, {"e_phentsize", 54, 2}, {"e_phnum", 56, 2},
                {"e_shentsize", 58, 2}, {"e_shnum", 60, 2}, {"e_shstrndx", 62, 2}};
        for (Object[] e : ehdr) {
            f.add(new Field("Elf64_Ehdr." + e[0], (Integer) e[1], (Integer) e[2]));
        }
        Object[][] phdr = {{"p_type", 0, 4}, {"p_flags", 4, 4}, {"p_offset", 8, 8}, {"p_vaddr", 16, 8}, {"p_paddr", 24, 8},
                {"p_filesz", 32, 8}, {"p_memsz", 40, 8}, {"p_align", 48, 8}};
        for (int i = 0; i < elf.phnum(); i++) {
            for (Object[] p : phdr) {
                f.add(new Field("Elf64_Phdr[" + i + "]." + p[0], elf.phoff() + (long) i * elf.phentsize() + (Integer) p[1], (Integer) p[2]));
            }
        }
        Object[][] shdr = {{"sh_name", 0, 4}, {"sh_type", 4, 4}, {"sh_flags", 8, 8}, {"sh_addr", 16, 8}, {"sh_offset", 24, 8},
                {"sh_size", 32, 8}, {"sh_link", 40, 4}, {"sh_info", 44, 4}, {"sh_addralign", 48, 8}, {"sh_entsize", 56, 8}};
        for (int i = 0; i < elf.shnum(); i++) {
            for (Object[] s : shdr) {
                f.add(new Field("Elf64_Shdr[" + i + "]." + s[0], elf.shoff() + (long) i * elf.shentsize() + (Integer) s[1], (Integer) s[2]));
            }
        }
        for (int i = 0; i < elf.dynSize() / 16; i++) {
            long at = elf.dynOff() + 16L * i;
            f.add(new Field("Elf64_Dyn[" + i + "].d_tag", at, 8));
            f.add(new Field("Elf64_Dyn[" + i + "].d_val", at + 8, 8));
        }
        // The tables reached from the dynamic segment, whose counts and offsets drive loops and allocations.
        for (long[] s : elf.shdrs()) {
            long type = s[0];
            if (type == 0x6ffffff6L) { // .gnu.hash: nbuckets, symoffset, bloom_size, bloom_shift, first bloom word, buckets
                for (int k = 0; k < 4; k++) {
                    f.add(new Field(".gnu.hash header word " + k, s[1] + 4L * k, 4));
                }
                f.add(new Field(".gnu.hash bloom[0]", s[1] + 16, 8));
                for (long k = 24; k + 4 <= s[2]; k += 4) {
                    f.add(new Field(".gnu.hash word at +" + k, s[1] + k, 4));
                }
            } else if (type == 11) { // .dynsym
                for (long k = 1; k < s[2] / 24; k++) {
                    long at = s[1] + 24 * k;
                    f.add(new Field(".dynsym[" + k + "].st_name", at, 4));
                    f.add(new Field(".dynsym[" + k + "].st_info", at + 4, 1));
                    f.add(new Field(".dynsym[" + k + "].st_shndx", at + 6, 2));
                    f.add(new Field(".dynsym[" + k + "].st_value", at + 8, 8));
                    f.add(new Field(".dynsym[" + k + "].st_size", at + 16, 8));
                }
            } else if (type == 0x6ffffffeL || type == 0x6ffffffdL) { // .gnu.version_r / _d
                for (long k = 0; k + 4 <= s[2]; k += 4) {
                    f.add(new Field((type == 0x6ffffffeL ? ".gnu.version_r" : ".gnu.version_d") + " word at +" + k, s[1] + k, 4));
                }
            } else if (type == 0x6fffffffL) { // .gnu.version
                for (long k = 0; k + 2 <= s[2]; k += 2) {
                    f.add(new Field(".gnu.version[" + k / 2 + "]", s[1] + k, 2));
                }
            }
        }
        return f;
    }

    static long value(Random rnd, int width, int fileLength, long old) {
        long ones = width == 8 ? -1L : (1L << (8 * width)) - 1;
        return switch (rnd.nextInt(7)) {
            case 0 -> 0;
            case 1 -> ones;
            case 2 -> rnd.nextLong() & ones;
            case 3 -> (ones >>> 1) & ones; // 0x7fff..
            case 4 -> (ones >>> 1) + 1 & ones; // 0x8000..
            case 5 -> (fileLength + rnd.nextInt(64) - 32) & ones; // near the end of the file
            default -> (old + (rnd.nextBoolean() ? 1 : -1) * (1L << (rnd.nextInt(Math.min(8 * width, 40))))) & ones; // nearby
        };
    }

    static void put(byte[] b, long off, int width, long v) {
        for (int i = 0; i < width; i++) {
            b[(int) off + i] = (byte) (v >>> (8 * i));
        }
    }

    static long get(byte[] b, long off, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (b[(int) off + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    static List<Case> mutations() {
        Random rnd = new Random(SEED);
        List<Field> fields = fields();
        List<Case> cases = new ArrayList<>();
        long shTable = elf.shoff();
        int shTableSize = elf.shnum() * elf.shentsize();
        for (int n = 0; n < MUTATIONS; n++) {
            byte[] b = original.clone();
            StringBuilder d = new StringBuilder("mutation #" + n + " (seed 0x" + Long.toHexString(SEED) + "):");
            int kind = rnd.nextInt(10);
            if (kind < 2) {
                int count = 1 + rnd.nextInt(4);
                for (int k = 0; k < count; k++) {
                    int at = rnd.nextInt(Math.min(4096, b.length));
                    byte v = (byte) rnd.nextInt(256);
                    d.append(String.format(" byte 0x%x: 0x%02x -> 0x%02x", at, b[at] & 0xff, v & 0xff));
                    b[at] = v;
                }
            } else if (kind < 3) {
                int count = 1 + rnd.nextInt(4);
                for (int k = 0; k < count; k++) {
                    int at = (int) shTable + rnd.nextInt(shTableSize);
                    byte v = (byte) rnd.nextInt(256);
                    d.append(String.format(" section header table byte 0x%x (Elf64_Shdr[%d] +%d): 0x%02x -> 0x%02x", at,
                            (at - shTable) / elf.shentsize(), (at - shTable) % elf.shentsize(), b[at] & 0xff, v & 0xff));
                    b[at] = v;
                }
            } else {
                int count = rnd.nextInt(5) == 0 ? 2 : 1;
                for (int k = 0; k < count; k++) {
                    Field f = fields.get(rnd.nextInt(fields.size()));
                    long old = get(b, f.offset(), f.width());
                    long v = value(rnd, f.width(), b.length, old);
                    put(b, f.offset(), f.width(), v);
                    d.append(String.format(" %s (u%d at 0x%x): 0x%x -> 0x%x", f.name(), 8 * f.width(), f.offset(), old, v));
                }
            }
            cases.add(new Case(d.toString(), b));
        }
        return cases;
    }

    @Test
    void mutatedInputs() throws Exception {
        List<Case> cases = mutations();
        assertEquals(MUTATIONS, cases.size(), "mutation cases");
        runAll(cases, "mutated");
    }

    // ---- explicit cases with their messages -----------------------------------------------------------------

    static Path write(String name, byte[] bytes) throws IOException {
        Path dir = Tools.work("malformed/explicit");
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static ElfFormatException rejects(String name, byte[] bytes, String... fragments) throws IOException {
        Path p = write(name, bytes);
        Path out = Tools.freshWork("malformed/explicit-out/" + name);
        ElfFormatException e = assertThrows(ElfFormatException.class,
                () -> Checks.isolate(p, out, "acme_"), "isolate of " + name);
        String m = e.getMessage();
        assertTrue(m.startsWith(p.toString()), "message starts with the file path " + p + ": " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message for " + name + " contains '" + f + "': " + m);
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "files left in the output directory after rejecting " + name);
        }
        return e;
    }

    static byte[] patched(long offset, int width, long value) {
        byte[] b = original.clone();
        put(b, offset, width, value);
        return b;
    }

    /**
     * A relocation naming a symbol past {@code .dynsym}, in a library without {@code DT_GNU_HASH} (nothing is
     * reordered, so no remap looks at the index): once an ArrayIndexOutOfBoundsException in the Verifier.
     */
    @Test
    void relocationSymbolIndexPastDynsym() throws IOException {
        Path sysv = Tools.fixtures().resolve("libkitchen-sysv.so");
        Checks.Section rela = Checks.section(sysv, ".rela.dyn");
        int count = (int) (Checks.section(sysv, ".dynsym").size() / 24);
        byte[] b = Files.readAllBytes(sysv);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int entry = -1;
        for (int i = 0; i < rela.size() / 24 && entry < 0; i++) {
            if (bb.getLong((int) rela.offset() + 24 * i + 8) >>> 32 != 0) {
                entry = i;
            }
        }
        assertTrue(entry >= 0, "a .rela.dyn entry with a symbol in " + sysv);
        int at = (int) rela.offset() + 24 * entry + 8;
        bb.putLong(at, (long) (count + 5) << 32 | (bb.getLong(at) & 0xffffffffL));
        rejects("reloc-sym.so", b, "DT_RELA[" + entry + "].r_info at byte 0x" + Integer.toHexString(at),
                "names symbol " + (count + 5) + ", past the " + count + " entries of .dynsym");
    }

    /**
     * An absurd {@code sh_addralign} (2^30, 2^32) on an allocated section is refused up front: it once padded the
     * moved tables to a 1 GiB (4 GiB) output. On a non-allocated section it means nothing to the layout: the
     * output stays the size of the input plus what the rewrite adds.
     */
    @Test
    void absurdSectionAlignment() throws IOException {
        Path lib = Tools.fixtures().resolve("libkitchen-gnu.so");
        Checks.Section dynsym = Checks.section(lib, ".dynsym");
        Checks.Section comment = Checks.section(lib, ".comment");
        long shdr = elf.shoff() + (long) dynsym.index() * elf.shentsize() + 48;
        for (int shift : new int[] {30, 32}) {
            rejects("align-" + shift + ".so", patched(shdr, 8, 1L << shift), "Elf64_Shdr[" + dynsym.index() + "].sh_addralign at byte 0x"
                    + Long.toHexString(shdr), "0x" + Long.toHexString(1L << shift) + " exceeds the largest PT_LOAD p_align (0x");
        }
        Path p = write("align-comment.so", patched(elf.shoff() + (long) comment.index() * elf.shentsize() + 48, 8, 1L << 32));
        Path out = Tools.freshWork("malformed/explicit-out/align-comment");
        Report r = Checks.isolate(p, out, "acme_");
        long grown = Files.size(r.output()) - original.length;
        assertTrue(grown < 64 * 1024, "output larger than the input by " + grown + " bytes");
    }

    /** A second BASE version definition is the input's fault: once reported as "internal error ... please report". */
    @Test
    void secondBaseVersionDefinition() throws IOException {
        Path libz = Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1");
        Tools.requireFile(libz, "zlib1g");
        byte[] b = Files.readAllBytes(libz);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int base = Checks.verdefOffset(libz);
        assertEquals(1, bb.getShort(base + 2) & 1, "libz's first Verdef is BASE");
        int second = base + bb.getInt(base + 16);
        bb.putShort(second + 2, (short) 1);
        rejects("two-bases.so", b, "Elf64_Verdef[1].vd_flags at byte 0x" + Integer.toHexString(second + 2),
                "a second VER_FLG_BASE version definition");
    }

    /**
     * A {@code .dynstr} header that does not match DT_STRTAB was left stale while {@code .dynsym} still linked it
     * ("corrupt string table index" from readelf on the output): now the link is followed and the disagreement
     * refused, naming the {@code .dynsym} header's {@code sh_link}.
     */
    @Test
    void dynstrHeaderThatDoesNotMatchDtStrtab() throws IOException {
        Path lib = Tools.fixtures().resolve("libkitchen-gnu.so");
        Checks.Section dynstr = Checks.section(lib, ".dynstr");
        Checks.Section dynsym = Checks.section(lib, ".dynsym");
        long at = elf.shoff() + (long) dynstr.index() * elf.shentsize();
        String link = "Elf64_Shdr[" + dynsym.index() + "].sh_link (.dynsym) at byte 0x"
                + Long.toHexString(elf.shoff() + (long) dynsym.index() * elf.shentsize() + 40);
        String disagrees = dynstr.index() + " disagrees with DT_STRTAB, which is no section header";
        ByteBuffer o = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        rejects("dynstr-noalloc.so", patched(at + 8, 8, o.getLong((int) at + 8) & ~2L), link, disagrees);
        rejects("dynstr-progbits.so", patched(at + 4, 4, 1), link, disagrees);
        long strtab = -1;
        for (long d = elf.dynOff(); d < elf.dynOff() + elf.dynSize(); d += 16) {
            if (o.getLong((int) d) == 5) { // DT_STRTAB
                strtab = d;
            }
        }
        assertTrue(strtab > 0, "DT_STRTAB in " + lib);
        // Moved by 8, every name shifts too: .gnu.hash no longer hashes the names it files, found first.
        String m = rejects("dynstr-moved.so", patched(strtab + 8, 8, o.getLong((int) strtab + 8) + 8), " at byte 0x").getMessage();
        assertTrue(m.contains(link + ": " + disagrees) || m.contains("but its name hashes to"), m);
    }

    /**
     * Outputs that crashed dlopen where the malformed input did not (issue 13, item 5): the engine does not
     * silently repair what it reads. A relocation writing outside every PT_LOAD (the new segment would turn that
     * gap into a mapped hole), a symbol {@code .gnu.hash} files under another name than its own (the rebuilt hash
     * would expose it: here a defined function renamed {@code __gmon_start__}, which {@code _init} calls), and a
     * string-valued dynamic tag past DT_STRSZ (which would land in the appended names).
     */
    @Test
    void whatTheRewriteWouldRepairIsRefused() throws IOException {
        Path lib = Tools.fixtures().resolve("libkitchen-gnu.so");
        ByteBuffer o = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);

        Checks.Section rela = Checks.section(lib, ".rela.dyn");
        long end = 0;
        for (Checks.Load l : Checks.loads(lib)) {
            end = Math.max(end, l.vaddr() + l.memsz());
        }
        long far = end + 0x100000;
        rejects("reloc-outside.so", patched(rela.offset(), 8, far), "DT_RELA[0].r_offset at byte 0x" + Long.toHexString(rela.offset()),
                "0x" + Long.toHexString(far) + " is outside every PT_LOAD's memory image");

        // The st_name of a defined, hashed function aimed at the "__gmon_start__" string its import already uses.
        Checks.Section dynsym = Checks.section(lib, ".dynsym");
        Checks.Section dynstr = Checks.section(lib, ".dynstr");
        int gmon = indexOf(original, "__gmon_start__\0".getBytes(StandardCharsets.US_ASCII));
        assertTrue(gmon > dynstr.offset() && gmon < dynstr.offset() + dynstr.size(), "__gmon_start__ in .dynstr");
        int victim = -1;
        for (int i = (int) (dynsym.size() / 24) - 1; i > 0 && victim < 0; i--) {
            int at = (int) dynsym.offset() + 24 * i;
            if ((o.get(at + 4) & 0xf) == 2 && o.getShort(at + 6) != 0) { // STT_FUNC, defined
                victim = i;
            }
        }
        assertTrue(victim > 0, "a defined function in " + lib);
        byte[] b = patched(dynsym.offset() + 24L * victim, 4, gmon - dynstr.offset());
        rejects("gmon.so", b, "DT_GNU_HASH.chains[", "files symbol " + victim + " ('__gmon_start__') under hash 0x",
                "but its name hashes to 0x");

        long soname = -1;
        long strsz = -1;
        for (long d = elf.dynOff(); d < elf.dynOff() + elf.dynSize(); d += 16) {
            long tag = o.getLong((int) d);
            if (tag == 14) { // DT_SONAME
                soname = d;
            } else if (tag == 10) { // DT_STRSZ
                strsz = o.getLong((int) d + 8);
            }
        }
        assertTrue(soname > 0 && strsz > 0, "DT_SONAME and DT_STRSZ in " + lib);
        byte[] f = patched(soname, 8, 0x7fffffffL); // DT_FILTER
        put(f, soname + 8, 8, strsz + 16);
        rejects("filter.so", f, "DT_FILTER.d_val at byte 0x" + Long.toHexString(soname + 8),
                "string offset " + (strsz + 16) + " is outside .dynstr (DT_STRSZ " + strsz + ")");
    }

    /**
     * A Verdaux lying on the next Verdef's header (found by ElfFuzzTest: crash-22ff25a7...): renaming the BASE wrote
     * the new SONAME's offset over that header, and the engine then refused its own output, naming its temporary
     * file. Now refused when read.
     */
    @Test
    void verdauxOnAVerdefHeader() throws IOException {
        Path ver = Tools.fixtures().resolve("libver.so");
        byte[] b = Files.readAllBytes(ver);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int base = Checks.verdefOffset(ver);
        int next = bb.getInt(base + 16);
        bb.putInt(base + 12, next); // the BASE's vd_aux aimed at the next Verdef itself
        rejects("verdaux-on-verdef.so", b, "Elf64_Verdaux at byte 0x" + Integer.toHexString(base + next),
                "overlaps the Verdef header at byte 0x" + Integer.toHexString(base + next));
    }

    @Test
    void textFile() throws IOException {
        rejects("text.so", "this is not a library\n".getBytes(StandardCharsets.US_ASCII), "not an ELF file");
    }

    @Test
    void elfClass32() throws IOException {
        rejects("class32.so", patched(4, 1, 1), "ELFCLASS32");
    }

    @Test
    void bigEndian() throws IOException {
        rejects("bigendian.so", patched(5, 1, 2), "big-endian");
    }

    @Test
    void executableNotSharedLibrary() throws IOException {
        rejects("exec.so", patched(16, 2, 2), "ET_DYN");
    }

    @Test
    void otherMachinesAreRefusedByName() throws IOException {
        rejects("riscv.so", patched(18, 2, 243), "Elf64_Ehdr.e_machine",
                "machine 243 (EM_RISCV) is not supported (supported: x86_64 (62), aarch64 (183))");
        rejects("ppc64.so", patched(18, 2, 21), "machine 21 (EM_PPC64) is not supported");
        rejects("unknown.so", patched(18, 2, 0x7777), "machine 30583 is not supported");
    }

    /**
     * e_machine alone decides the target: the same bytes marked EM_AARCH64 are isolated with aarch64's 64 KiB
     * page size and reported as linux-aarch_64, where as EM_X86_64 they get 4 KiB (the host is x86_64 either way).
     */
    @Test
    void aarch64IsSupportedWithItsOwnPageSize() throws IOException {
        for (int machine : new int[] {62, 183}) {
            Path in = write("machine-" + machine + ".so", patched(18, 2, machine));
            Report r = Checks.isolate(in, Tools.freshWork("malformed/machine-" + machine), "acme_");
            Target t = machine == 183 ? Target.AARCH64 : Target.X86_64;
            assertEquals(t.arch, r.machine(), "Report.machine for e_machine " + machine);
            assertEquals(t.platform, r.platform(), "Report.platform for e_machine " + machine);
            Checks.Load added = Checks.lastByOffset(Checks.loads(r.output()));
            assertEquals(t.pageSize, added.align(), "Align of the new PT_LOAD for e_machine " + machine + ": " + added);
            Checks.assertPagesRespected(in, r.output(), t.pageSize);
        }
    }

    @Test
    void truncatedInTheProgramHeaderTable() throws IOException {
        int cut = (int) (elf.phoff() + elf.phentsize() + elf.phentsize() / 2);
        rejects("phdr-cut.so", Arrays.copyOf(original, cut), "Elf64_Phdr");
    }

    @Test
    void sectionLinkOutOfRange() throws IOException {
        int dynsym = -1;
        for (int i = 0; i < elf.shdrs().size(); i++) {
            if (elf.shdrs().get(i)[0] == 11) {
                dynsym = i;
            }
        }
        assertTrue(dynsym > 0, ".dynsym section header");
        long at = elf.shoff() + (long) dynsym * elf.shentsize() + 40;
        rejects("shlink.so", patched(at, 4, elf.shnum() + 100), "Elf64_Shdr[", ".sh_link");
    }

    /**
     * A non-allocated section where the program header table grows, or where the moved tables were, would be
     * overwritten under a header that still points at it; a {@code .symtab} there, or over a table patched in
     * place, had its moved symbols' values patched over other patches: "overlapping patches" escaped (found by
     * the fuzzer in CI, 2026-12-05).
     */
    @Test
    void nonAllocatedSectionOverRewrittenBytes() throws IOException {
        Path lib = Tools.fixtures().resolve("libkitchen-gnu.so");
        Checks.Section comment = Checks.section(lib, ".comment");
        Checks.Section symtab = Checks.section(lib, ".symtab");
        Checks.Section gnuHash = Checks.section(lib, ".gnu.hash"); // in the block that moves
        Checks.Section dynamic = Checks.section(lib, ".dynamic");
        long commentOff = elf.shoff() + (long) comment.index() * elf.shentsize() + 24;
        long symtabOff = elf.shoff() + (long) symtab.index() * elf.shentsize() + 24;
        String phEnd = "0x" + Long.toHexString(elf.phoff() + (long) elf.phnum() * elf.phentsize());
        rejects("comment-after-phdrs.so", patched(commentOff, 8, elf.phoff() + (long) elf.phnum() * elf.phentsize()),
                "Elf64_Shdr[" + comment.index() + "].sh_offset (.comment) at byte 0x" + Long.toHexString(commentOff),
                "non-allocated section at " + phEnd + " overlaps the program header table");
        rejects("comment-in-gnu-hash.so", patched(commentOff, 8, gnuHash.offset()), "(.comment) at byte 0x", "non-allocated section at 0x"
                + Long.toHexString(gnuHash.offset()));
        // Over .dynsym and the version tables as well, found first: any refusal naming the .symtab header will do.
        rejects("symtab-in-gnu-hash.so", patched(symtabOff, 8, gnuHash.offset()), "(.symtab)");
        rejects("symtab-over-dynamic.so", patched(symtabOff, 8, dynamic.offset()), "Elf64_Shdr[" + symtab.index() + "] (.symtab) at byte 0x"
                + Long.toHexString(dynamic.offset()), "overlaps PT_DYNAMIC");
    }

    /**
     * A PT_LOAD aligned to more than an address space holds: the new segment goes above every segment at that
     * alignment, so it landed past 2^47 and the output did not read back ("internal error", found by exploring
     * fuzzing, 2026-12-06, p_align 2^56). Larger than 2^47 the reader refuses it; 2^46 passes the reader and
     * leaves no room below 2^47, which the layout refuses.
     */
    @Test
    void loadAlignedBeyondTheAddressSpace() throws IOException {
        long pAlign = elf.phoff() + 48; // Elf64_Phdr[0], the first PT_LOAD (p_offset 0, p_vaddr 0: any power of two is congruent)
        rejects("align-2-56.so", patched(pAlign, 8, 1L << 56), "Elf64_Phdr[0].p_align at byte 0x" + Long.toHexString(pAlign),
                "0x100000000000000 is larger than the address space a process has (2^47 bytes)");
        rejects("align-2-46.so", patched(pAlign, 8, 1L << 46), "Elf64_Phdr table at byte 0x" + Long.toHexString(elf.phoff()),
                "no address below 2^47 for the new segment: it would start at 0x8", "(PT_LOAD p_align up to 0x400000000000");
    }

    /** A table pointer aimed at address 0 would make the rewrite patch the ELF header twice. */
    @Test
    void versymInsideTheElfHeader() throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        long at = -1;
        for (long d = elf.dynOff(); d < elf.dynOff() + elf.dynSize(); d += 16) {
            if (bb.getLong((int) d) == 0x6ffffff0L) { // DT_VERSYM
                at = d + 8;
            }
        }
        assertTrue(at > 0, "DT_VERSYM in libkitchen-gnu.so");
        rejects("versym0.so", patched(at, 8, 0), "DT_VERSYM", "overlaps Elf64_Ehdr");
    }

    /** A SONAME with a slash must not make the engine write outside the output directory (or fail oddly). */
    @Test
    void sonameWithSlashes() throws Exception {
        String old = "libkitchen.so.1";
        String evil = "lib/../../evil1";
        assertEquals(old.length(), evil.length(), "same length replacement");
        byte[] b = original.clone();
        byte[] oldBytes = (old + "\0").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(b, oldBytes);
        assertTrue(at > 0, "the SONAME string in libkitchen-gnu.so");
        System.arraycopy(evil.getBytes(StandardCharsets.US_ASCII), 0, b, at, evil.length());
        Path dir = Tools.freshWork("malformed/slash/a/b/out");
        String problem = runCase(new Case("SONAME '" + evil + "'", b), dir);
        if (problem != null) {
            fail("isolate of a library whose DT_SONAME is '" + evil + "': " + problem);
        }
    }

    /**
     * A SONAME byte outside ASCII (0xe9): rejected with one of the two exceptions, or written to a file whose
     * name (as bytes on disk, per ls) is exactly the new DT_SONAME (as bytes, per readelf -d).
     */
    @Test
    void sonameWithANonAsciiByte() throws Exception {
        byte[] b = original.clone();
        int at = indexOf(b, "libkitchen.so.1\0".getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0, "the SONAME string in libkitchen-gnu.so");
        b[at + 4] = (byte) 0xe9; // libk\xe9tchen.so.1
        Path dir = Tools.freshWork("malformed/nonascii");
        String problem = runCase(new Case("SONAME 'libk\\xe9tchen.so.1'", b), dir);
        if (problem != null) {
            fail("isolate of a library whose DT_SONAME is 'libk\\xe9tchen.so.1' (sun.jnu.encoding "
                    + System.getProperty("sun.jnu.encoding") + "): " + problem);
        }
        // Raw bytes on both sides: Tools decodes command output as ISO-8859-1, one char per byte. The SONAME is
        // no plain library file name, so the names may also come from the file name (issue 12): either way the
        // library written (the one ELF file beside the artifacts) is named after its DT_SONAME.
        List<String> names = Tools.run("ls", "-1", dir.toString()).ok().out().lines().filter(n -> !n.equals("input.so")).toList();
        if (names.isEmpty()) {
            return; // rejected, nothing written
        }
        List<Path> libraries;
        try (Stream<Path> s = Files.list(dir)) {
            libraries = s.filter(p -> !p.getFileName().toString().equals("input.so") && isElf(p)).toList();
        }
        assertEquals(1, libraries.size(), "libraries written for the non-ASCII SONAME: " + names);
        String soname = Checks.soname(libraries.get(0));
        assertTrue(names.stream().anyMatch(n -> hex(n).equals(hex(soname))),
                "the output file names (ls) " + names + " include its DT_SONAME (readelf -d) " + hex(soname));
    }

    static boolean isElf(Path p) {
        try (java.io.InputStream in = Files.newInputStream(p)) {
            return java.util.Arrays.equals(in.readNBytes(4), new byte[] {0x7f, 'E', 'L', 'F'});
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String hex(String isoLatin1) {
        StringBuilder sb = new StringBuilder();
        for (char c : isoLatin1.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
