package dev.isolate.engine.write;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.elf.Trace;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.policy.Export;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the engine's own output back, as a loader would, before it is moved into place: every renamed
 * name is found through every hash table with its version, no original name is still exported,
 * the SONAME is the new one, and the segments are sane. A failure here is a bug in the engine, never
 * the user's: it is reported as such and nothing is left at the destination.
 */
public final class Verifier {
    private Verifier() {}

    public static List<String> check(ElfFile out, List<Export> renamed, List<Export> kept, String soname, long pageSize) {
        long t = Trace.start();
        try {
            return check0(out, renamed, kept, soname, pageSize);
        } finally {
            Trace.end("verify", t);
        }
    }

    private static List<String> check0(ElfFile out, List<Export> renamed, List<Export> kept, String soname, long pageSize) {
        List<String> problems = new ArrayList<>();
        if (!soname.equals(out.soname)) {
            problems.add("DT_SONAME is " + out.soname + ", expected " + soname);
        }
        for (Export e : renamed) {
            byte[] name = e.newName().getBytes(StandardCharsets.ISO_8859_1);
            if (out.gnuHash != null && !found(out, e, name, true)) {
                problems.add(e.newName() + versionSuffix(e) + " not found through .gnu.hash");
            }
            if (out.sysvHash != null && !found(out, e, name, false)) {
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
        Set<String> originals = new HashSet<>(2 * renamed.size());
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

    private static String versionSuffix(Export e) {
        return e.version() == null ? "" : (e.defaultVersion() ? "@@" : "@") + e.version();
    }

    private static boolean matches(ElfFile out, int i, Export e) {
        // Hash codes first: mangled names of one length often share long prefixes, so equals alone is slow.
        return out.names[i].hashCode() == e.newName().hashCode() && out.names[i].equals(e.newName()) && out.syms[i].isDefined()
                && Objects.equals(out.versionName(i), e.version()) && out.isHiddenVersion(i) == !e.defaultVersion();
    }

    private static boolean found(ElfFile out, Export e, byte[] name, boolean gnu) {
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
