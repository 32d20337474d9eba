package dev.isolate.engine.write;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.machine.RelocationTypes;
import dev.isolate.engine.policy.Export;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
        List<String> problems = new ArrayList<>();
        if (!Objects.equals(soname, out.soname)) {
            problems.add("DT_SONAME is " + out.soname + ", expected " + soname);
        }
        for (Export e : renamed) {
            if (out.gnuHash != null && !found(out, e, true)) {
                problems.add(e.newName() + versionSuffix(e) + " not found through .gnu.hash");
            }
            if (out.sysvHash != null && !found(out, e, false)) {
                problems.add(e.newName() + versionSuffix(e) + " not found through .hash");
            }
            if (problems.size() > 20) {
                break;
            }
        }
        Set<String> keptNames = new HashSet<>();
        for (Export e : kept) {
            keptNames.add(e.name());
        }
        Set<String> originals = new HashSet<>();
        for (Export e : renamed) {
            if (!keptNames.contains(e.name())) {
                originals.add(e.name());
            }
        }
        for (int i = 1; i < out.syms.length; i++) {
            if (out.syms[i].isDefined() && out.syms[i].bind() != STB_LOCAL && originals.contains(out.names[i])) {
                problems.add("original name " + out.names[i] + " is still exported (.dynsym[" + i + "])");
                if (problems.size() > 40) {
                    break;
                }
            }
        }
        checkSegments(out, pageSize, problems);
        return problems;
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
        for (int i = 1; i < out.syms.length; i++) {
            List<Integer> at = byName.get(out.names[i]);
            if (at != null && !out.syms[i].isDefined()) {
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

    private static boolean matches(ElfFile out, int i, Export e) {
        return out.names[i].equals(e.newName()) && out.syms[i].isDefined()
                && Objects.equals(out.versionName(i), e.version()) && out.isHiddenVersion(i) == !e.defaultVersion();
    }

    private static boolean found(ElfFile out, Export e, boolean gnu) {
        byte[] name = e.newName().getBytes(StandardCharsets.ISO_8859_1);
        if (gnu) {
            long base = out.gnuHash.offset();
            int nbuckets = (int) out.bytes.u32(base, "gnu.hash");
            int symoffset = (int) out.bytes.u32(base + 4, "gnu.hash");
            int bloomWords = (int) out.bytes.u32(base + 8, "gnu.hash");
            int shift = (int) out.bytes.u32(base + 12, "gnu.hash");
            long h = Integer.toUnsignedLong(ElfHash.gnu(name));
            long word = out.bytes.u64(base + 16 + 8 * ((h / 64) % bloomWords), "bloom");
            long mask = (1L << (h % 64)) | (1L << ((h >>> shift) % 64));
            if ((word & mask) != mask) {
                return false;
            }
            long buckets = base + 16 + 8L * bloomWords;
            long chains = buckets + 4L * nbuckets;
            int i = (int) out.bytes.u32(buckets + 4 * (h % nbuckets), "bucket");
            if (i == 0) {
                return false;
            }
            while (true) {
                long c = out.bytes.u32(chains + 4L * (i - symoffset), "chain");
                if ((c | 1) == (h | 1) && matches(out, i, e)) {
                    return true;
                }
                if ((c & 1) != 0) {
                    return false;
                }
                i++;
            }
        }
        long base = out.sysvHash.offset();
        long nbucket = out.bytes.u32(base, "hash");
        long h = ElfHash.sysv(name);
        long i = out.bytes.u32(base + 8 + 4 * (h % nbucket), "bucket");
        long chains = base + 8 + 4 * nbucket;
        for (int guard = 0; i != 0 && guard <= out.syms.length; guard++) {
            if (matches(out, (int) i, e)) {
                return true;
            }
            i = out.bytes.u32(chains + 4 * i, "chain");
        }
        return false;
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
        String[] expected = in.names.clone();
        for (Export e : renamed) {
            expected[e.index()] = e.newName();
        }
        int reported = 0;
        for (ElfFile.Table ti : in.dynRelocs) {
            // Paired by name, not position: tables that moved with the block now sort after those that did not.
            ElfFile.Table to = out.dynRelocs.stream().filter(t -> t.name().equals(ti.name())).findFirst().orElse(null);
            int ent = ElfFile.entSize(ti);
            if (to == null) {
                problems.add(ti.name() + " is missing from the output");
                continue;
            }
            if (ti.size() != to.size() || ent != ElfFile.entSize(to)) {
                problems.add(to.name() + " has " + to.size() + " bytes, expected " + ti.size() + " like " + ti.name());
                continue;
            }
            ByteBuffer bi = in.bytes.slice(ti.offset(), ti.size(), ti.name());
            ByteBuffer bo = out.bytes.slice(to.offset(), to.size(), to.name());
            for (int off = 0; off < ti.size() && reported < 20; off += ent) {
                long infoIn = bi.getLong(off + 8);
                long infoOut = bo.getLong(off + 8);
                int si = (int) rSym(infoIn);
                long so = rSym(infoOut);
                boolean same = bi.getLong(off) == bo.getLong(off) && rType(infoIn) == rType(infoOut)
                        && (ent != RELA_SIZE || bi.getLong(off + 16) == bo.getLong(off + 16));
                boolean sameSymbol = si == 0 ? so == 0 : so > 0 && so < out.syms.length
                        && expected[si].equals(out.names[(int) so]) && Objects.equals(in.versionName(si), out.versionName((int) so));
                if (!same || !sameSymbol) {
                    problems.add(to.name() + "[" + off / ent + "] (" + types.name(rType(infoIn)) + " against " + expected[si]
                            + ") became " + types.name(rType(infoOut)) + " against symbol " + so);
                    reported++;
                }
            }
        }
        for (long tag : new long[] {DT_RELACOUNT, DT_RELCOUNT}) {
            if (out.dynamic.has(tag) && leadingRelative(in, tag, types) && !leadingRelative(out, tag, types)) {
                problems.add(ElfFile.dtName(tag) + " no longer counts leading " + types.name(types.relative()) + " entries");
            }
        }
        return problems;
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
                ByteBuffer b = elf.bytes.slice(t.offset(), t.size(), t.name());
                for (int i = 0; i < count; i++) {
                    if (rType(b.getLong(i * ent + 8)) != types.relative()) {
                        return false;
                    }
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
            if (!s.isAlloc() || s.sh_size() == 0) {
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
}
