package dev.isolate.engine.write;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.common.Trace;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.elf.Elf64Sym;
import dev.isolate.engine.elf.Verdef;
import dev.isolate.engine.elf.Verneed;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.plan.Layout;
import dev.isolate.engine.policy.Export;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rewrite, as a script of passes: names -> strings -> symbol order -> tables -> layout -> bytes.
 * Nothing is written to disk here; the result is an {@link OutputImage}.
 */
public final class Rewriter {
    private Rewriter() {}

    /** What the rewrite produced, for reports and for the verifier. */
    public record Result(OutputImage image, Layout layout, int[] newIndexOf, boolean reordered) {}

    /** Pointer tags of the tables that may move with the block after the program headers. */
    private static final long[] BLOCK_TAGS = {DT_SYMTAB, DT_VERSYM, DT_VERDEF, DT_VERNEED, DT_RELA, DT_REL, DT_JMPREL, DT_RELR};

    /**
     * What to change in one library. Exports and imports are both renamed by {@code .dynsym} index;
     * the rest applies to {@code .dynamic} and the version tables.
     *
     * @param imports   undefined references renamed to follow another bundle member's renamed export
     * @param newSoname the new SONAME, or null to leave DT_SONAME (and the Verdef BASE name) as they are
     * @param needed    old SONAME -> new SONAME, for DT_NEEDED entries and Verneed vn_file
     * @param runpath   the new DT_RUNPATH, or null to leave DT_RUNPATH/DT_RPATH as they are
     */
    public record Edits(List<Export> renamed, List<Export> imports, String newSoname, Map<String, String> needed,
            String runpath) {
        public Edits {
            renamed = List.copyOf(renamed);
            imports = List.copyOf(imports);
            needed = Map.copyOf(needed);
        }
    }

    public static Result rewrite(ElfFile elf, List<Export> renamed, String newSoname) {
        return rewrite(elf, new Edits(renamed, List.of(), newSoname, Map.of(), null));
    }

    /** The symbol indexes of {@code renamed} in the order of their old names' offsets in {@code .dynstr}, ties by index. */
    static int[] inStringOrder(ElfFile elf, List<Export> renamed) {
        long[] keys = new long[renamed.size()];
        for (int k = 0; k < keys.length; k++) {
            int i = renamed.get(k).index(); // st_name < 2^32 and 0 <= i < 2^31: one positive long
            keys[k] = elf.syms[i].st_name() << 31 | i;
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            order[k] = (int) (keys[k] & Integer.MAX_VALUE);
        }
        return order;
    }

    public static Result rewrite(ElfFile elf, Edits edits) {
        long[] t = Trace.start();
        try {
            return rewrite0(elf, edits);
        } finally {
            Trace.end("rewrite", t);
        }
    }

    private static Result rewrite0(ElfFile elf, Edits edits) {
        List<Export> renamed = edits.renamed();
        String newSoname = edits.newSoname();
        Machine machine = Machine.of(elf.ehdr.e_machine());
        int count = elf.syms.length;

        // 1. Names: the bytes of each new name, by input index (null where the name stays), and the GNU
        // and System V hashes of every name of the output: a new name's from its bytes, a kept one's where
        // it lies in .dynstr, never decoded or copied.
        byte[][] newNames = new byte[count][];
        for (Export e : renamed) {
            newNames[e.index()] = e.newName().getBytes(StandardCharsets.ISO_8859_1);
        }
        for (Export e : edits.imports()) {
            newNames[e.index()] = e.newName().getBytes(StandardCharsets.ISO_8859_1);
        }
        int[] gnuHashes = new int[count];
        int[] sysvHashes = new int[count]; // in input order, the order the names were made in
        hashNames(elf, newNames, gnuHashes, sysvHashes);
        long[] nameOffsets = new long[count];
        for (int i = 0; i < count; i++) {
            nameOffsets[i] = elf.syms[i].st_name();
        }
        // 2. Strings: old .dynstr kept, new names appended once, in the order of the old names in .dynstr,
        // then the SONAME. The linker laid the old names out object by object, so names used together lie
        // together; the new ones keep that locality (in symbol order, which .gnu.hash bucket order scatters,
        // dlsym of libLLVM's names in byte order missed the data cache about 10% more often).
        DynstrTable dynstr = new DynstrTable(elf.dynstrBytes, renamed.size() + edits.imports().size());
        for (int i : inStringOrder(elf, renamed)) {
            nameOffsets[i] = dynstr.add(newNames[i], gnuHashes[i]);
        }
        for (Export e : edits.imports()) {
            nameOffsets[e.index()] = dynstr.add(newNames[e.index()], gnuHashes[e.index()]);
        }
        long sonameOffset = newSoname == null ? -1 : dynstr.add(newSoname);
        // DT_NEEDED and vn_file hold .dynstr offsets: old offset -> offset of the member's new SONAME.
        Map<Long, Long> neededOffsets = new HashMap<>();
        List<Long> neededTags = elf.dynamic.all(DT_NEEDED);
        for (int k = 0; k < neededTags.size(); k++) {
            String to = edits.needed().get(elf.needed.get(k));
            if (to != null) {
                neededOffsets.put(neededTags.get(k), dynstr.add(to));
            }
        }
        long runpathOffset = edits.runpath() == null ? -1 : dynstr.add(edits.runpath());

        // 3. Symbol order: the hashed part regrouped by .gnu.hash bucket; the rest stays.
        int[] oldIndexAt = new int[count];
        for (int i = 0; i < count; i++) {
            oldIndexAt[i] = i;
        }
        GnuHashTable gnu = null;
        if (elf.gnuHash != null) {
            GnuHashTable.Geometry geometry = GnuHashTable.Geometry.of(elf, count - elf.gnuSymoffset);
            int[] order = GnuHashTable.order(gnuHashes, elf.gnuSymoffset, geometry);
            System.arraycopy(order, 0, oldIndexAt, elf.gnuSymoffset, order.length);
            int[] hashed = new int[order.length];
            for (int k = 0; k < order.length; k++) {
                hashed[k] = gnuHashes[order[k]];
            }
            gnu = new GnuHashTable(elf.gnuSymoffset, hashed, geometry);
        }
        int[] newIndexOf = new int[count];
        boolean reordered = false;
        for (int n = 0; n < count; n++) {
            newIndexOf[oldIndexAt[n]] = n;
            reordered |= oldIndexAt[n] != n;
        }
        SysvHashTable sysv = null;
        if (elf.sysvHash != null) {
            int[] byNew = new int[count];
            for (int n = 0; n < count; n++) {
                byNew[n] = sysvHashes[oldIndexAt[n]];
            }
            sysv = new SysvHashTable(elf.sysvNbucket, byNew);
        }

        // 4. Layout, from the sizes alone.
        Layout layout = new Layout(elf, machine, dynstr.size(), gnu == null ? 0 : gnu.size(), sysv == null ? 0 : sysv.size());
        OutputImage out = new OutputImage(elf.bytes, layout.copyLength, layout.segOffset, layout.fileSize - layout.segOffset);
        Map<Integer, Long> addrDelta = sectionAddressDeltas(elf, layout);

        // 5. Bytes. First the block that moves, as it was; rewritten tables inside it are overlaid below.
        if (layout.blockEnd > layout.blockStart) {
            out.copyUnder(layout.finalOffset(layout.blockStart), layout.blockStart, layout.blockEnd - layout.blockStart);
            if (layout.blockEnd > layout.phEnd1) { // the old copies, now dead: zeros, not stale tables
                out.zero(layout.phEnd1, layout.blockEnd - layout.phEnd1);
            }
        }
        dynstr.place(out, layout.dynstrOffset, elf.dynstr.offset());
        if (gnu != null) {
            out.put(layout.gnuHashOffset, gnu.bytes());
        }
        if (sysv != null) {
            out.put(layout.sysvHashOffset, sysv.bytes());
        }
        out.put(layout.finalOffset(elf.dynsym.offset()), dynsym(elf, oldIndexAt, nameOffsets, addrDelta));
        if (elf.versym != null) {
            short[] versions = new short[count]; // put into the buffer at once, not one call per symbol
            for (int n = 0; n < count; n++) {
                versions[n] = (short) elf.versions[oldIndexAt[n]];
            }
            ByteBuffer v = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
            v.asShortBuffer().put(versions);
            out.put(layout.finalOffset(elf.versym.offset()), v.array());
        }
        if (reordered) {
            for (ElfFile.Table t : elf.dynRelocs) {
                out.copy(layout.finalOffset(t.offset()), t.offset(), t.size(), remap(elf, t, newIndexOf, machine));
            }
        }
        if (elf.verdefTable != null && newSoname != null) {
            out.put(layout.finalOffset(elf.verdefTable.offset()), verdef(elf, newSoname, sonameOffset));
        }
        if (elf.verneedTable != null && !edits.needed().isEmpty()) {
            out.put(layout.finalOffset(elf.verneedTable.offset()), verneed(elf, edits.needed(), dynstr));
        }
        out.put(elf.dynamic.offset(), dynamic(elf, layout, dynstr.size(), sonameOffset, neededOffsets, runpathOffset));
        symtabValues(elf, addrDelta, out);

        List<Elf64Phdr> phdrs = programHeaders(elf, layout);
        ByteBuffer ph = ByteBuffer.allocate(phdrs.size() * PHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < phdrs.size(); i++) {
            phdrs.get(i).write(ph, i * PHDR_SIZE);
        }
        out.put(elf.ehdr.e_phoff(), ph.array());
        ByteBuffer eh = ByteBuffer.allocate(EHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        elf.ehdr.withPhdrsAndShoff(phdrs.size(), layout.shoff).write(eh, 0);
        out.put(0, eh.array());
        if (!elf.shdrs.isEmpty()) {
            out.put(layout.shoff, sectionHeaders(elf, layout, dynstr.size(), gnu, sysv));
        }
        return new Result(out, layout, newIndexOf, reordered);
    }

    /**
     * The GNU and System V hashes of every symbol's name in the output, by input index. A new name is
     * hashed from {@code newNames}; a kept one from its bytes in {@code .dynstr}.
     */
    private static void hashNames(ElfFile elf, byte[][] newNames, int[] gnu, int[] sysv) {
        byte[] strtab = elf.dynstrBytes;
        for (int i = 0; i < newNames.length; i++) {
            byte[] b = newNames[i];
            int from = b != null ? 0 : (int) elf.syms[i].st_name();
            int to = b != null ? b.length : elf.nameEnd(i);
            long h = ElfHash.gnuAndSysv(b != null ? b : strtab, from, to);
            gnu[i] = (int) (h >>> 32);
            sysv[i] = from == to ? SysvHashTable.UNNAMED : (int) h;
        }
    }

    /**
     * How far each section whose address changes moves: the block's sections by the block delta, the
     * replaced tables (.dynstr and the hash tables) to their new place. Symbols defined in them follow.
     */
    private static Map<Integer, Long> sectionAddressDeltas(ElfFile elf, Layout layout) {
        Map<Integer, Long> d = new HashMap<>();
        for (int i : layout.movedSections) {
            d.put(i, layout.blockAddrDelta);
        }
        replaced(elf, d, elf.dynstr, layout.addr(layout.dynstrOffset));
        replaced(elf, d, elf.gnuHash, layout.addr(layout.gnuHashOffset));
        replaced(elf, d, elf.sysvHash, layout.addr(layout.sysvHashOffset));
        return d;
    }

    private static void replaced(ElfFile elf, Map<Integer, Long> d, ElfFile.Table t, long newAddr) {
        if (t != null && t.shndx() > 0) {
            d.put(t.shndx(), newAddr - elf.shdrs.get(t.shndx()).sh_addr());
        }
    }

    private static byte[] dynsym(ElfFile elf, int[] oldIndexAt, long[] nameOffsets, Map<Integer, Long> addrDelta) {
        long[] words = new long[oldIndexAt.length * (SYM_SIZE / 8)];
        long[] deltaOf = new long[elf.shdrs.size()]; // addrDelta by section index: no boxing per symbol
        for (Map.Entry<Integer, Long> e : addrDelta.entrySet()) {
            deltaOf[e.getKey()] = e.getValue();
        }
        for (int n = 0; n < oldIndexAt.length; n++) {
            int old = oldIndexAt[n];
            Elf64Sym s = elf.syms[old];
            s.write(words, n * (SYM_SIZE / 8), nameOffsets[old], s.st_value() + (s.st_shndx() < deltaOf.length ? deltaOf[s.st_shndx()] : 0));
        }
        ByteBuffer b = ByteBuffer.allocate(oldIndexAt.length * SYM_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(words);
        return b.array();
    }

    /** r_info of every dynamic relocation, remapped to the new symbol order; everything else kept. */
    private static OutputImage.Transform remap(ElfFile elf, ElfFile.Table t, int[] newIndexOf, Machine machine) {
        int ent = ElfFile.entSize(t);
        long[] words = new long[OutputImage.CHUNK / 8]; // the chunk as words: r_info is word 1 of each entry
        return (b, at) -> {
            int n = b.limit() / 8;
            b.asLongBuffer().get(words, 0, n);
            for (int w = 0; w < n; w += ent / 8) {
                long info = words[w + 1];
                long sym = rSym(info);
                if (sym >= newIndexOf.length) {
                    throw elf.bytes.error(t.name() + "[" + (at + 8L * w) / ent + "].r_info (" + machine.relocations().name(rType(info)) + ")",
                            t.offset() + at + 8L * w + 8,
                            "symbol index " + sym + " is outside .dynsym (" + newIndexOf.length + " symbols)");
                }
                if (sym != 0) {
                    words[w + 1] = rInfo(newIndexOf[(int) sym], rType(info));
                }
            }
            b.asLongBuffer().put(words, 0, n);
        };
    }

    /**
     * The Verdef BASE entry names the library itself: it follows the SONAME, or packagers see the old name.
     * Unless its Verdaux is also another Verdef's (libjansson's BASE and its version {@code libjansson.so.4}
     * share one): renaming it there would rename the version of every symbol defined in it, so the BASE
     * keeps the old name, as the loader needs nothing of it.
     */
    static byte[] verdef(ElfFile elf, String newSoname, long sonameOffset) {
        ElfFile.Table t = elf.verdefTable;
        byte[] data = elf.bytes.bytes(t.offset(), t.size(), ".gnu.version_d");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (Verdef d : elf.verdefs) {
            if (d.isBase() && !d.nameFieldOffsets().isEmpty() && !baseNameShared(elf, d)) {
                b.putInt((int) (d.offset() - t.offset() + 8), (int) ElfHash.sysv(newSoname.getBytes(StandardCharsets.ISO_8859_1)));
                b.putInt((int) (d.nameFieldOffsets().get(0) - t.offset()), (int) sonameOffset);
            }
        }
        return data;
    }

    /** Whether another Verdef's Verdaux is the BASE entry's first one (the same {@code vda_name} field). */
    static boolean baseNameShared(ElfFile elf, Verdef base) {
        long field = base.nameFieldOffsets().get(0);
        for (Verdef d : elf.verdefs) {
            if (d != base && d.nameFieldOffsets().contains(field)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Verneed's vn_file names the library the versions are required of; glibc matches it against the
     * DT_NEEDED names, so when a DT_NEEDED is renamed its vn_file must be too, or ld.so asserts
     * ("needed != NULL" in _dl_check_map_versions). vna_hash is of the version name, which stays.
     */
    private static byte[] verneed(ElfFile elf, Map<String, String> needed, DynstrTable dynstr) {
        ElfFile.Table t = elf.verneedTable;
        byte[] data = elf.bytes.bytes(t.offset(), t.size(), ".gnu.version_r");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (Verneed v : elf.verneeds) {
            String to = needed.get(v.file());
            if (to != null) {
                b.putInt((int) (v.offset() - t.offset() + 4), (int) dynstr.add(to)); // vn_file
            }
        }
        return data;
    }

    private static byte[] dynamic(ElfFile elf, Layout layout, long dynstrSize, long sonameOffset,
            Map<Long, Long> neededOffsets, long runpathOffset) {
        DynamicSection d = new DynamicSection(elf);
        d.map(BLOCK_TAGS, layout::finalAddr);
        d.set(DT_STRTAB, layout.addr(layout.dynstrOffset));
        d.set(DT_STRSZ, dynstrSize);
        d.set(DT_GNU_HASH, layout.addr(layout.gnuHashOffset));
        d.set(DT_HASH, layout.addr(layout.sysvHashOffset));
        d.map(new long[] {DT_NEEDED}, off -> neededOffsets.getOrDefault(off, off));
        if (sonameOffset >= 0) {
            d.setOrAdd(DT_SONAME, sonameOffset);
        }
        if (runpathOffset >= 0) {
            d.setRunpath(runpathOffset);
        }
        return d.bytes();
    }

    /** .symtab symbols defined in moved sections (section symbols, mostly) follow their section. */
    private static void symtabValues(ElfFile elf, Map<Integer, Long> addrDelta, OutputImage out) {
        if (addrDelta.isEmpty()) {
            return;
        }
        for (int i = 1; i < elf.shdrs.size(); i++) {
            Elf64Shdr s = elf.shdrs.get(i);
            if (s.sh_type() != SHT_SYMTAB || s.sh_size() % SYM_SIZE != 0) {
                continue;
            }
            ByteBuffer tab = elf.bytes.slice(s.sh_offset(), s.sh_size(), "Elf64_Shdr[" + i + "] (" + s.name() + ")");
            for (int off = 0; off < s.sh_size(); off += SYM_SIZE) {
                Elf64Sym sym = Elf64Sym.read(tab, off);
                Long delta = addrDelta.get(sym.st_shndx());
                if (delta != null) {
                    ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    v.putLong(0, sym.st_value() + delta);
                    out.put(s.sh_offset() + off + 8, v.array());
                }
            }
        }
    }

    private static List<Elf64Phdr> programHeaders(ElfFile elf, Layout layout) {
        List<Elf64Phdr> out = new ArrayList<>();
        int lastLoad = -1;
        for (Elf64Phdr p : elf.phdrs) {
            Elf64Phdr q = p;
            if (p.p_type() == PT_PHDR) {
                q = p.resized(p.p_filesz() + PHDR_SIZE, p.p_memsz() + PHDR_SIZE);
            } else if (p.p_type() != PT_LOAD && p.p_filesz() > 0 && layout.inBlock(p.p_offset())) {
                q = p.moved(layout.finalOffset(p.p_offset()), layout.finalAddr(p.p_vaddr()));
            }
            if (p.p_type() == PT_LOAD) {
                lastLoad = out.size();
            }
            out.add(q);
        }
        out.add(lastLoad + 1, layout.newLoad());
        return out;
    }

    private static byte[] sectionHeaders(ElfFile elf, Layout layout, long dynstrSize,
            GnuHashTable gnu, SysvHashTable sysv) {
        List<Elf64Shdr> sh = new ArrayList<>(elf.shdrs);
        for (int i : layout.movedSections) {
            Elf64Shdr s = sh.get(i);
            sh.set(i, s.placed(layout.finalOffset(s.sh_offset()), s.sh_addr() + layout.blockAddrDelta, s.sh_size()));
        }
        place(sh, elf.dynstr.shndx(), layout, layout.dynstrOffset, dynstrSize);
        if (gnu != null) {
            place(sh, elf.gnuHash.shndx(), layout, layout.gnuHashOffset, gnu.size());
        }
        if (sysv != null) {
            place(sh, elf.sysvHash.shndx(), layout, layout.sysvHashOffset, sysv.size());
        }
        ByteBuffer b = ByteBuffer.allocate(sh.size() * SHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sh.size(); i++) {
            sh.get(i).write(b, i * SHDR_SIZE);
        }
        return b.array();
    }

    private static void place(List<Elf64Shdr> sh, int index, Layout layout, long off, long size) {
        if (index > 0) {
            sh.set(index, sh.get(index).placed(off, layout.addr(off), size));
        }
    }
}
