package dev.isolate.engine.write;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfBytes;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.common.Trace;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.machine.RelocationTypes;
import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads the engine's own output back, as a loader would, before it is moved into place: every renamed
 * name is found through every hash table with its version, no original name is still exported,
 * the SONAME is the new one, the segments are sane for the target's page size, and every dynamic
 * relocation still means what it meant in the input. A failure here is a bug in the engine, never
 * the user's: it is reported as such and nothing is left at the destination.
 */
public final class Verifier {
    private Verifier() {}

    public static List<String> check(ElfFile out, List<Export> renamed, List<Export> kept, String soname, long pageSize) {
        long[] t = Trace.start();
        try {
            Expected expected = expect(renamed, kept);
            List<String> problems = new ArrayList<>();
            checkSoname(out, soname, problems);
            lookUpRenamed(out, expected, problems);
            addOriginals(problems, originals(out, expected));
            checkSegments(out, pageSize, problems);
            return problems;
        } finally {
            Trace.end("verify", t);
        }
    }

    /**
     * What the output's names must be, worked out from the classification alone: so it can be made while
     * the output is still being written. The bytes and both hashes of every new name, looked up in the
     * output's hash tables; and the original names, which no defined symbol of the output may have.
     */
    public static final class Expected {
        final List<Export> renamed;
        final byte[][] names;
        final int[] gnuHashes;
        final int[] sysvHashes;
        final NameSet originals;

        private Expected(List<Export> renamed, List<Export> kept) {
            int n = renamed.size();
            this.renamed = renamed;
            this.names = new byte[n][];
            this.gnuHashes = new int[n];
            this.sysvHashes = new int[n];
            for (int k = 0; k < n; k++) {
                names[k] = renamed.get(k).newName().getBytes(StandardCharsets.ISO_8859_1);
                long both = ElfHash.gnuAndSysv(names[k], 0, names[k].length);
                gnuHashes[k] = (int) (both >>> 32);
                sysvHashes[k] = (int) both;
            }
            Set<String> keptNames = new HashSet<>();
            for (Export e : kept) {
                keptNames.add(e.name());
            }
            this.originals = new NameSet(n);
            for (Export e : renamed) {
                if (!keptNames.contains(e.name())) {
                    originals.add(e.name());
                }
            }
        }
    }

    /** What {@link #checkAll} will look for, given the renamed and kept exports of the input. */
    public static Expected expect(List<Export> renamed, List<Export> kept) {
        long[] t = Trace.start();
        Expected e = new Expected(renamed, kept);
        Trace.end("verify: expected names", t);
        return e;
    }

    /**
     * Every check of an output, as {@link #check}, then {@link #checkRelocations} and {@link #checkLinks}
     * report them one after the other, and in the same order. The name lookups run on this thread; the
     * search for original names and the relocation check, which read other parts of the output and share
     * nothing with them, run on another core meanwhile (on libLLVM they take as long as the lookups).
     *
     * @param in       the input, whose relocations the output's must match
     * @param expected {@link #expect} of the input's renamed and kept exports
     * @param imports  undefined references renamed to follow another bundle member
     * @param needed   the DT_NEEDED names the output must have, in order
     * @param runpath  the DT_RUNPATH it must have, or null when it was left as it was
     */
    public static List<String> checkAll(ElfFile in, ElfFile out, Expected expected, List<Export> imports, String soname,
            Machine machine, List<String> needed, String runpath) {
        List<Export> changed = new ArrayList<>(expected.renamed);
        changed.addAll(imports);
        CompletableFuture<List<List<String>>> other = CompletableFuture.supplyAsync(() -> {
            long[] t = Trace.start();
            List<List<String>> found = List.of(originals(out, expected), checkRelocations(in, out, changed, machine));
            Trace.end("verify relocations, originals", t);
            return found;
        });
        long[] t = Trace.start();
        List<String> problems = new ArrayList<>();
        checkSoname(out, soname, problems);
        lookUpRenamed(out, expected, problems);
        Trace.end("verify names", t);
        List<List<String>> found = join(other);
        addOriginals(problems, found.get(0));
        checkSegments(out, machine.maxPageSize(), problems);
        problems.addAll(found.get(1));
        problems.addAll(checkLinks(out, imports, needed, runpath));
        return problems;
    }

    /** The result of {@code f}; what it threw, thrown again as it was. */
    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    private static void checkSoname(ElfFile out, String soname, List<String> problems) {
        if (!Objects.equals(soname, out.soname)) {
            problems.add("DT_SONAME is " + out.soname + ", expected " + soname);
        }
    }

    /** At most this many problems are listed, counting those found before the search for original names. */
    private static final int MAX_ORIGINALS = 40;

    /**
     * Defined, non-local, visible symbols of the output named like an original name (one renamed and not also kept),
     * in symbol order, at most {@code MAX_ORIGINALS + 1}: all that {@link #addOriginals} may list.
     */
    private static List<String> originals(ElfFile out, Expected expected) {
        List<String> found = new ArrayList<>();
        for (int i = 1; i < out.syms.length && found.size() <= MAX_ORIGINALS; i++) {
            // As ld.so looks: a second definition of the name that is HIDDEN, INTERNAL or of a processor-specific binding
            // (the fuzzer made both) answers no lookup, and the policy leaves it alone.
            if (out.syms[i].isDefined() && out.syms[i].visibleToLookup() && expected.originals.containsName(out, i)) {
                found.add("original name " + out.name(i) + " is still exported (.dynsym[" + i + "])");
            }
        }
        return found;
    }

    private static void addOriginals(List<String> problems, List<String> originals) {
        for (String p : originals) {
            problems.add(p);
            if (problems.size() > MAX_ORIGINALS) {
                break;
            }
        }
    }

    /**
     * The links between bundle members: every renamed import is an undefined reference under its new name
     * (with its version), and DT_NEEDED and DT_RUNPATH are what the plan says.
     */
    public static List<String> checkLinks(ElfFile out, List<Export> imports, List<String> needed, String runpath) {
        List<String> problems = new ArrayList<>();
        Map<String, List<Integer>> byName = new HashMap<>();
        for (Export e : imports) {
            byName.put(e.newName(), new ArrayList<>());
        }
        for (int i = 1; i < out.syms.length && !byName.isEmpty(); i++) {
            List<Integer> at = out.syms[i].isDefined() ? null : byName.get(out.name(i));
            if (at != null) {
                at.add(i);
            }
        }
        for (Export e : imports) {
            if (byName.get(e.newName()).stream().noneMatch(i -> Objects.equals(out.versionName(i), e.version()))) {
                problems.add("import " + e.name() + " is not an undefined reference to " + e.newName() + versionSuffix(e));
            }
        }
        if (!needed.equals(out.needed)) {
            problems.add("DT_NEEDED is " + out.needed + ", expected " + needed);
        }
        if (runpath != null && !runpath.equals(out.runpath())) {
            problems.add("DT_RUNPATH is " + out.runpath() + ", expected " + runpath);
        }
        return problems;
    }

    private static String versionSuffix(Export e) {
        return e.version() == null ? "" : (e.defaultVersion() ? "@@" : "@") + e.version();
    }

    /**
     * Looks every renamed name up through every hash table, as the loader does. The names are hashed
     * first and looked up in {@code .gnu.hash} bucket order: the output's {@code .dynsym} is grouped by
     * bucket, so the walks read it front to back instead of jumping across 45k symbols (on libLLVM this
     * loop was bound by memory latency, not by work). Problems are still reported in symbol order.
     */
    private static void lookUpRenamed(ElfFile out, Expected expected, List<String> problems) {
        List<Export> renamed = expected.renamed;
        int n = renamed.size();
        Symbols syms = new Symbols(out);
        Lookup gnu = out.gnuHash == null ? null : new Lookup(syms, out.gnuHash, true);
        Lookup sysv = out.sysvHash == null ? null : new Lookup(syms, out.sysvHash, false);
        byte[][] names = expected.names;
        int[] gnuHashes = expected.gnuHashes;
        int[] sysvHashes = expected.sysvHashes;
        // The order only decides which memory is read when, never a result: a table whose nbuckets makes
        // no sense (every lookup in it fails) is walked in symbol order.
        boolean usable = gnu != null && gnu.nbuckets > 0 && gnu.nbuckets <= gnu.words.length;
        int[] order = usable ? GnuHashTable.byBucket(gnuHashes, 0, gnu.nbuckets) : null;
        boolean[] notInGnu = new boolean[n];
        boolean[] notInSysv = new boolean[n];
        for (int o = 0; o < n; o++) {
            int k = order == null ? o : order[o];
            Export e = renamed.get(k);
            notInGnu[k] = gnu != null && !gnu.found(e, names[k], Integer.toUnsignedLong(gnuHashes[k]), null, 0);
            if (sysv != null) {
                long h = sysvHashes[k];
                // Filtered through .gnu.hash first; a miss is looked up again without it, so a broken
                // .gnu.hash is never reported as a broken .hash.
                notInSysv[k] = !sysv.found(e, names[k], h, gnu, gnuHashes[k]) && (gnu == null || !sysv.found(e, names[k], h, null, 0));
            }
        }
        for (int k = 0; k < n; k++) {
            Export e = renamed.get(k);
            if (notInGnu[k]) {
                problems.add(e.newName() + versionSuffix(e) + " not found through .gnu.hash");
            }
            if (notInSysv[k]) {
                problems.add(e.newName() + versionSuffix(e) + " not found through .hash");
            }
            if (problems.size() > 20) {
                break;
            }
        }
    }

    /** The output's {@code .dynsym} as words, read once, and its {@code .dynstr}: names are compared as bytes. */
    private static final class Symbols {
        private final ElfFile out;
        private final long[] words; // three per Elf64_Sym: st_name|st_info|st_other|st_shndx, st_value, st_size
        private final byte[] strtab;

        Symbols(ElfFile out) {
            this.out = out;
            this.words = new long[3 * out.syms.length];
            out.bytes.slice(out.dynsym.offset(), 24L * out.syms.length, ".dynsym").asLongBuffer().get(words);
            this.strtab = out.dynstrBytes;
        }

        int count() {
            return out.syms.length;
        }

        /** Symbol {@code i} is defined, named {@code name} (the bytes of {@code e.newName()}) and has {@code e}'s version. */
        boolean matches(int i, Export e, byte[] name) {
            long w = words[3 * i];
            long at = w & 0xffffffffL;
            int shndx = (int) (w >>> 48);
            return shndx != SHN_UNDEF && at + name.length < strtab.length && strtab[(int) at + name.length] == 0
                    && Arrays.equals(strtab, (int) at, (int) at + name.length, name, 0, name.length)
                    && Objects.equals(out.versionName(i), e.version()) && out.isHiddenVersion(i) == !e.defaultVersion();
        }
    }

    /**
     * A hash table of the output as the loader reads it, copied out of the file once into arrays.
     * Anything out of range (a bucket or chain pointing outside the table or past the last symbol) is
     * "not found".
     */
    private static final class Lookup {
        private final Symbols syms;
        private final boolean gnu;
        private final int[] words; // .gnu.hash: buckets, then chains (header and bloom apart); .hash: the same
        private final long[] bloom;
        final int nbuckets;
        private final int symoffset;
        private final int shift;

        Lookup(Symbols syms, ElfFile.Table t, boolean gnu) {
            this.syms = syms;
            this.gnu = gnu;
            ByteBuffer b = syms.out.bytes.slice(t.offset(), t.size() / 4 * 4, t.name());
            this.nbuckets = b.getInt(0);
            if (gnu) {
                this.symoffset = b.getInt(4);
                this.shift = b.getInt(12);
                this.bloom = new long[Math.max(0, Math.min(b.getInt(8), (b.limit() - 16) / 8))];
                b.position(16).asLongBuffer().get(bloom);
                b.position(16 + 8 * bloom.length);
            } else {
                this.symoffset = 0;
                this.shift = 0;
                this.bloom = null;
                b.position(8);
            }
            this.words = new int[b.remaining() / 4];
            b.asIntBuffer().get(words);
        }

        /** True when this {@code .gnu.hash}'s chain word for symbol {@code i} is not {@code gnuHash}: the names differ. */
        boolean cannotBe(int i, int gnuHash) {
            int at = nbuckets + i - symoffset;
            return i >= symoffset && at >= 0 && at < words.length && (words[at] | 1) != (gnuHash | 1);
        }

        /**
         * @param h       the name's hash: {@code ElfHash.gnu} (unsigned) or {@code ElfHash.sysv}, as the table is
         * @param filter  for a {@code .hash} walk, the {@code .gnu.hash} whose chain words skip the candidates whose
         *                GNU hash differs from {@code gnuHash} without reading their names (most of them; each read
         *                is a cache miss). It can only make a lookup fail, never succeed. Or null.
         */
        boolean found(Export e, byte[] name, long h, Lookup filter, int gnuHash) {
            int count = syms.count();
            if (nbuckets <= 0 || nbuckets > words.length) {
                return false;
            }
            if (gnu) {
                if (bloom.length == 0) {
                    return false;
                }
                long word = bloom[(int) ((h / 64) % bloom.length)];
                long mask = (1L << (h % 64)) | (1L << ((h >>> shift) % 64));
                if ((word & mask) != mask) {
                    return false;
                }
                int i = words[(int) (h % nbuckets)];
                if (i == 0) {
                    return false;
                }
                for (; i >= symoffset && i < count && nbuckets + i - symoffset < words.length; i++) {
                    int c = words[nbuckets + i - symoffset];
                    if ((c | 1) == (int) (h | 1) && syms.matches(i, e, name)) {
                        return true;
                    }
                    if ((c & 1) != 0) {
                        return false;
                    }
                }
                return false;
            }
            int i = words[(int) (h % nbuckets)];
            for (int guard = 0; i != 0 && guard <= count; guard++) {
                if (i < 0 || i >= count || nbuckets + i >= words.length) {
                    return false;
                }
                if ((filter == null || !filter.cannotBe(i, gnuHash)) && syms.matches(i, e, name)) {
                    return true;
                }
                i = words[nbuckets + i];
            }
            return false;
        }
    }

    /**
     * Every dynamic relocation keeps its place, type and addend, and names the same symbol (under its new
     * name, with its version) at the symbol's new index. {@code DT_RELACOUNT}/{@code DT_RELCOUNT}, where
     * kept, must still count only leading {@code R_*_RELATIVE} entries: ld.so applies that many as relative
     * without reading their type.
     *
     * @param renamed every symbol of {@code in} whose name changed: exports, and imports that follow them
     */
    public static List<String> checkRelocations(ElfFile in, ElfFile out, List<Export> renamed, Machine machine) {
        List<String> problems = new ArrayList<>();
        RelocationTypes types = machine.relocations();
        SameSymbol sameSymbol = new SameSymbol(in, out, renamed);
        int reported = 0;
        for (ElfFile.Table ti : in.dynRelocs) {
            // Paired by name and section index, not position: tables that moved with the block now sort after those
            // that did not. Two sections may share a name (or have none: no .shstrtab); their indices stay the same.
            ElfFile.Table to = out.dynRelocs.stream().filter(t -> t.name().equals(ti.name()) && t.shndx() == ti.shndx())
                    .findFirst().orElse(null);
            int ent = ElfFile.entSize(ti);
            if (to == null) {
                problems.add(ti.name() + " is missing from the output");
                continue;
            }
            if (ti.size() != to.size() || ent != ElfFile.entSize(to)) {
                problems.add(to.name() + " has " + to.size() + " bytes, expected " + ti.size() + " like " + ti.name());
                continue;
            }
            // Entries as words, copied out a chunk at a time: r_offset, r_info[, r_addend].
            int words = ent / 8;
            long count = ti.size() / ent;
            long[] wi = new long[CHUNK_ENTRIES * words];
            long[] wo = new long[CHUNK_ENTRIES * words];
            try (ElfBytes.Words bi = in.bytes.words(ti.offset(), ti.size(), ti.name());
                    ElfBytes.Words bo = out.bytes.words(to.offset(), to.size(), to.name())) {
                for (long first = 0; first < count && reported < 20; first += CHUNK_ENTRIES) {
                    int n = (int) Math.min(CHUNK_ENTRIES, count - first);
                    bi.next(wi, n * words);
                    bo.next(wo, n * words);
                    for (int k = 0, w = 0; k < n && reported < 20; k++, w += words) {
                        long infoIn = wi[w + 1];
                        long infoOut = wo[w + 1];
                        int si = (int) rSym(infoIn);
                        long so = rSym(infoOut);
                        boolean same = wi[w] == wo[w] && rType(infoIn) == rType(infoOut) && (words == 2 || wi[w + 2] == wo[w + 2]);
                        boolean symbol = si == 0 ? so == 0 : so > 0 && so < out.syms.length && sameSymbol.test(si, (int) so);
                        if (!same || !symbol) {
                            problems.add(to.name() + "[" + (first + k) + "] (" + types.name(rType(infoIn)) + " against "
                                    + sameSymbol.expectedName(si) + ") became " + types.name(rType(infoOut)) + " against symbol " + so);
                            reported++;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (long tag : new long[] {DT_RELACOUNT, DT_RELCOUNT}) {
            if (out.dynamic.has(tag) && leadingRelative(in, tag, types) && !leadingRelative(out, tag, types)) {
                problems.add(ElfFile.dtName(tag) + " no longer counts leading " + types.name(types.relative()) + " entries");
            }
        }
        return problems;
    }

    /** Relocation entries compared per chunk: 4096 of them, 96 KiB of words per side for Elf64_Rela. */
    private static final int CHUNK_ENTRIES = 4096;

    /**
     * Whether a symbol of the output names what a symbol of the input named (its new name, when renamed)
     * with the same version, names compared as bytes. A pair found equal is remembered per input symbol:
     * libLLVM's 19k relocations against symbols name far fewer distinct ones, and the answer for a pair
     * never changes, so each name is compared once instead of once per relocation.
     */
    private static final class SameSymbol {
        private final ElfFile in;
        private final ElfFile out;
        private final String[] newNames; // by input index; null where the name stays
        private final int[] confirmed; // by input index: 1 + the output index found equal, or 0

        SameSymbol(ElfFile in, ElfFile out, List<Export> renamed) {
            this.in = in;
            this.out = out;
            this.newNames = new String[in.syms.length];
            for (Export e : renamed) {
                newNames[e.index()] = e.newName();
            }
            this.confirmed = new int[in.syms.length];
        }

        boolean test(int si, int so) {
            if (confirmed[si] == so + 1) {
                return true;
            }
            byte[] outNames = out.dynstrBytes;
            int from = (int) out.syms[so].st_name();
            int to = out.nameEnd(so);
            boolean equal;
            if (newNames[si] != null) {
                byte[] want = newNames[si].getBytes(StandardCharsets.ISO_8859_1);
                equal = Arrays.equals(want, 0, want.length, outNames, from, to);
            } else {
                equal = Arrays.equals(in.dynstrBytes, (int) in.syms[si].st_name(), in.nameEnd(si), outNames, from, to);
            }
            if (equal && Objects.equals(in.versionName(si), out.versionName(so))) {
                confirmed[si] = so + 1;
                return true;
            }
            return false;
        }

        String expectedName(int si) {
            return newNames[si] != null ? newNames[si] : in.name(si);
        }
    }

    /** Whether the first {@code tag} (DT_RELACOUNT or DT_RELCOUNT) entries of DT_RELA/DT_REL are R_*_RELATIVE. */
    private static boolean leadingRelative(ElfFile elf, long tag, RelocationTypes types) {
        long count = elf.dynamic.get(tag);
        long addr = elf.dynamic.get(tag == DT_RELACOUNT ? DT_RELA : DT_REL);
        int ent = tag == DT_RELACOUNT ? RELA_SIZE : REL_SIZE;
        for (ElfFile.Table t : elf.dynRelocs) {
            if (t.addr() == addr && ElfFile.entSize(t) == ent) {
                if (count < 0 || count > t.size() / ent) {
                    return false;
                }
                int words = ent / 8;
                long[] w = new long[CHUNK_ENTRIES * words];
                try (ElfBytes.Words b = elf.bytes.words(t.offset(), count * ent, t.name())) {
                    for (long first = 0; first < count; first += CHUNK_ENTRIES) {
                        int n = (int) Math.min(CHUNK_ENTRIES, count - first);
                        b.next(w, n * words);
                        for (int k = 0; k < n; k++) {
                            if (rType(w[k * words + 1]) != types.relative()) {
                                return false;
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            }
        }
        return false;
    }

    private static void checkSegments(ElfFile out, long pageSize, List<String> problems) {
        Elf64Phdr prev = null;
        boolean phdrCovered = false;
        for (Elf64Phdr p : out.phdrs) {
            if (p.p_type() != PT_LOAD) {
                continue;
            }
            if (p.p_align() > 1 && (p.p_vaddr() - p.p_offset()) % p.p_align() != 0) {
                problems.add("PT_LOAD at 0x" + Long.toHexString(p.p_vaddr()) + ": p_vaddr - p_offset not a multiple of p_align");
            }
            if (prev != null && (prev.p_vaddr() + prev.p_memsz() - 1) / pageSize >= p.p_vaddr() / pageSize
                    && p.p_flags() != prev.p_flags() && p == newest(out)) {
                problems.add("new PT_LOAD shares a page with the one before it");
            }
            if (p.containsFileRange(out.ehdr.e_phoff(), (long) out.phdrs.size() * PHDR_SIZE)) {
                phdrCovered = true;
            }
            prev = p;
        }
        if (!phdrCovered) {
            problems.add("the program header table is not inside a PT_LOAD");
        }
        for (int i = 1; i < out.shdrs.size(); i++) {
            Elf64Shdr s = out.shdrs.get(i);
            // .tbss takes no file or memory image of its own: it lives only in PT_TLS (numpy's OpenBLAS
            // places it past every PT_LOAD), so no PT_LOAD need hold it.
            if (!s.isAlloc() || s.sh_size() == 0 || (s.sh_type() == SHT_NOBITS && (s.sh_flags() & SHF_TLS) != 0)) {
                continue;
            }
            boolean in = false;
            for (Elf64Phdr p : out.phdrs) {
                if (p.p_type() == PT_LOAD && (s.sh_type() == SHT_NOBITS ? p.containsVaddr(s.sh_addr())
                        : p.containsFileRange(s.sh_offset(), s.sh_size()) && s.sh_addr() - p.p_vaddr() == s.sh_offset() - p.p_offset())) {
                    in = true;
                }
            }
            if (!in) {
                problems.add("section " + s.name() + " (index " + i + ") is not inside a PT_LOAD");
            }
        }
    }

    private static Elf64Phdr newest(ElfFile out) {
        Elf64Phdr last = null;
        for (Elf64Phdr p : out.phdrs) {
            if (p.p_type() == PT_LOAD && (last == null || p.p_offset() > last.p_offset())) {
                last = p;
            }
        }
        return last;
    }

    /**
     * A set of names looked up by bytes where they lie in a string table, without decoding them: the
     * bytes are hashed the way {@link String#hashCode} hashes the ISO-8859-1 string they spell, so the
     * names put in keep the hash they already cached.
     */
    private static final class NameSet {
        private final String[] slots; // open addressing, at most half full
        private final int mask;

        NameSet(int capacity) {
            this.slots = new String[Integer.highestOneBit(Math.max(capacity, 2) * 2) * 2];
            this.mask = slots.length - 1;
        }

        void add(String s) {
            int i = mix(s.hashCode()) & mask;
            for (String k; (k = slots[i]) != null; i = (i + 1) & mask) {
                if (k.equals(s)) {
                    return;
                }
            }
            slots[i] = s;
        }

        /** Whether the name of {@code elf}'s symbol {@code sym} is in the set: hashed up to its NUL in one pass. */
        boolean containsName(ElfFile elf, int sym) {
            byte[] b = elf.dynstrBytes;
            int from = (int) elf.syms[sym].st_name();
            int to = from;
            int h = 0;
            if (from != 0) { // 0 is the empty name; every other name ends in a NUL inside the table (ElfFile checked)
                for (byte c; (c = b[to]) != 0; to++) {
                    h = 31 * h + (c & 0xff);
                }
            }
            for (int i = mix(h) & mask; slots[i] != null; i = (i + 1) & mask) {
                if (spells(slots[i], b, from, to)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean spells(String s, byte[] b, int from, int to) {
            if (s.length() != to - from) {
                return false;
            }
            for (int k = 0; k < s.length(); k++) {
                if (s.charAt(k) != (b[from + k] & 0xff)) {
                    return false;
                }
            }
            return true;
        }

        /** Spreads hash codes (similar names differ little in their low bits) over the table. */
        private static int mix(int h) {
            h *= 0x9e3779b9;
            return h ^ (h >>> 16);
        }
    }
}
