package dev.isolate.engine.merge;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.machine.Machine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One input of a merge as read: the parsed file, its {@code PT_LOAD} extent, its dynamic relocations (all of
 * them, {@code DT_RELA} and {@code DT_JMPREL} alike: the merged file binds everything at load time) and the
 * tags the merge keeps. Anything the merge cannot carry over unchanged in meaning is refused here, before a
 * byte is planned.
 */
final class Member {

    /** One {@code Elf64_Rela}, as read. */
    record Rela(long r_offset, long type, int sym, long r_addend, long at) {}

    final int index;
    final Path path;
    final MergeRelocs rel;
    final ElfFile elf;
    final String name; // SONAME, else the file name
    final List<Elf64Phdr> loads = new ArrayList<>();
    final Elf64Phdr tls; // may be null
    final Elf64Phdr relro; // may be null
    final Elf64Phdr ehFrameHdr; // may be null
    /** The {@code .eh_frame} section when there is no {@link #ehFrameHdr} to find its FDEs by; else null. */
    final Elf64Shdr ehFrame;
    final boolean execStack;
    final long lowVaddr; // first PT_LOAD's p_vaddr, rounded down to its page
    final long highVaddr; // end of the last PT_LOAD in memory
    final long fileEnd; // end of the last PT_LOAD in the file
    final long align;
    final List<Rela> relocs = new ArrayList<>();
    /** Rebased by the plan: this member's vaddr 0 lies at {@code base}, its file offset 0 at {@code fileBase}. */
    long base;
    long fileBase;

    Member(int index, Path path, ElfFile elf) {
        this.index = index;
        this.path = path;
        this.elf = elf;
        this.name = elf.soname != null ? elf.soname : path.getFileName().toString();
        String file = path.toString();
        if (!Machine.isSupported(elf.ehdr.e_machine())) {
            throw new ElfFormatException(file, "e_machine", 18, emName(elf.ehdr.e_machine())
                    + ": merge supports " + supportedMachines());
        }
        this.rel = MergeRelocs.of(Machine.of(elf.ehdr.e_machine()));
        Elf64Phdr t = null;
        Elf64Phdr r = null;
        Elf64Phdr eh = null;
        boolean stack = true; // no PT_GNU_STACK: the gABI default, an executable stack
        long al = 0x1000;
        for (Elf64Phdr p : elf.phdrs) {
            switch (p.p_type()) {
                case PT_LOAD -> {
                    loads.add(p);
                    al = Math.max(al, p.p_align());
                }
                case PT_TLS -> t = p;
                case PT_GNU_RELRO -> r = p;
                case PT_GNU_EH_FRAME -> eh = p;
                case PT_GNU_STACK -> stack = (p.p_flags() & PF_X) != 0;
                case PT_INTERP -> throw new ElfFormatException(file, "PT_INTERP", elf.ehdr.e_phoff(),
                        "an executable cannot be merged, only shared libraries");
                default -> { }
            }
        }
        if (loads.isEmpty()) {
            throw new ElfFormatException(file, "Elf64_Phdr", elf.ehdr.e_phoff(), "no PT_LOAD");
        }
        if (Long.bitCount(al) != 1) {
            throw new ElfFormatException(file, "PT_LOAD.p_align", elf.ehdr.e_phoff(), "0x" + Long.toHexString(al) + " is not a power of two");
        }
        this.tls = t;
        this.relro = r;
        this.ehFrameHdr = eh;
        this.execStack = stack;
        this.align = al;
        long lo = Long.MAX_VALUE;
        long hi = 0;
        long fe = 0;
        for (int k = 0; k < loads.size(); k++) {
            Elf64Phdr p = loads.get(k);
            checkLoad(file, p, k);
            lo = Math.min(lo, p.p_vaddr() & -al);
            hi = Math.max(hi, p.p_vaddr() + p.p_memsz());
            fe = Math.max(fe, p.p_offset() + p.p_filesz());
        }
        for (Elf64Phdr p : new Elf64Phdr[] {t, r, eh}) {
            if (p != null && (p.p_memsz() < 0 || p.p_filesz() < 0 || p.p_filesz() > p.p_memsz() || !inside(p.p_vaddr(), p.p_memsz()))) {
                throw new ElfFormatException(file, ptName(p.p_type()) + ".p_vaddr", elf.ehdr.e_phoff(), "[0x"
                        + Long.toHexString(p.p_vaddr()) + ", +0x" + Long.toHexString(p.p_memsz()) + ") is not inside a PT_LOAD");
            }
        }
        this.lowVaddr = lo;
        this.highVaddr = hi;
        this.fileEnd = fe;
        Elf64Shdr frames = null;
        if (eh == null) {
            for (var sh : elf.shdrs) {
                // An .eh_frame that holds more than its 4-byte terminator, but no search table points at its FDEs
                // (linked with --no-eh-frame-hdr, as Debian's musl-gcc does): EhFrameHdr reads the FDEs themselves.
                if (sh.name().equals(".eh_frame") && sh.isAlloc() && sh.sh_size() > 4) {
                    if (!inside(sh.sh_addr(), sh.sh_size())) {
                        throw new ElfFormatException(file, ".eh_frame.sh_addr", elf.ehdr.e_shoff(), "[0x"
                                + Long.toHexString(sh.sh_addr()) + ", +0x" + Long.toHexString(sh.sh_size()) + ") is not inside a PT_LOAD");
                    }
                    frames = sh;
                }
            }
        }
        this.ehFrame = frames;
                refuseUnsupportedTags(file);
        readRelocs(file);
    }

    /** The largest address a member may use: the merged image must stay addressable by 32-bit offsets (.eh_frame_hdr). */
    static final long MAX_VADDR = 1L << 31;

    private void checkLoad(String file, Elf64Phdr p, int k) {
        String s = "PT_LOAD[" + k + "]";
        long at = elf.ehdr.e_phoff();
        if (p.p_vaddr() < 0 || p.p_memsz() < 0 || p.p_filesz() < 0 || p.p_offset() < 0 || p.p_vaddr() >= MAX_VADDR
                || p.p_memsz() >= MAX_VADDR - p.p_vaddr()) {
            throw new ElfFormatException(file, s, at, "segment [0x" + Long.toHexString(p.p_vaddr()) + ", +0x"
                    + Long.toHexString(p.p_memsz()) + ") is not below 2 GiB, as merge needs");
        }
        if (p.p_filesz() > p.p_memsz() || p.p_offset() > elf.bytes.size() || p.p_filesz() > elf.bytes.size() - p.p_offset()) {
            throw new ElfFormatException(file, s + ".p_filesz", at, "0x" + Long.toHexString(p.p_filesz())
                    + " is larger than p_memsz or the file");
        }
        if (p.p_align() > 1 && (p.p_vaddr() - p.p_offset()) % p.p_align() != 0) {
            throw new ElfFormatException(file, s + ".p_vaddr", at, "0x" + Long.toHexString(p.p_vaddr())
                    + " is not congruent to p_offset modulo p_align");
        }
    }

    /** Whether {@code [vaddr, vaddr + len)} lies inside one PT_LOAD's memory image. */
    boolean inside(long vaddr, long len) {
        for (Elf64Phdr p : loads) {
            if (vaddr >= p.p_vaddr() && len >= 0 && vaddr - p.p_vaddr() <= p.p_memsz() && len <= p.p_memsz() - (vaddr - p.p_vaddr())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code [vaddr, vaddr + len)} lies inside one writable PT_LOAD. */
    boolean insideWritable(long vaddr, long len) {
        for (Elf64Phdr p : loads) {
            if ((p.p_flags() & PF_W) != 0 && vaddr >= p.p_vaddr() && vaddr - p.p_vaddr() <= p.p_memsz()
                    && len <= p.p_memsz() - (vaddr - p.p_vaddr())) {
                return true;
            }
        }
        return false;
    }

    private void refuseUnsupportedTags(String file) {
        long dyn = elf.dynamic.offset();
        if (elf.dynamic.has(DT_TEXTREL) || (flags() & DF_TEXTREL) != 0) {
            throw new ElfFormatException(file, "DT_TEXTREL", dyn, "relocations against read-only code (TEXTREL) cannot be merged");
        }
        if (elf.dynamic.has(DT_RELR)) {
            throw new ElfFormatException(file, "DT_RELR", dyn, "packed relative relocations (-z pack-relative-relocs) are not supported by merge");
        }
        if (elf.dynamic.has(DT_REL)) {
            throw new ElfFormatException(file, "DT_REL", dyn, "REL relocations are not supported by merge (x86_64 uses RELA)");
        }
        if (elf.dynamic.has(DT_PREINIT_ARRAY)) {
            throw new ElfFormatException(file, "DT_PREINIT_ARRAY", dyn, "a shared library with a pre-init array cannot be merged");
        }
        if (elf.dynamic.has(DT_FILTER) || elf.dynamic.has(DT_AUXILIARY)) {
            throw new ElfFormatException(file, "DT_FILTER", dyn, "a filter library cannot be merged");
        }
    }

    private void readRelocs(String file) {
        for (ElfFile.Table t : elf.dynRelocs) {
            if (ElfFile.entSize(t) != RELA_SIZE) {
                throw new ElfFormatException(file, t.name(), t.offset(), "REL relocations are not supported by merge");
            }
            for (long at = t.offset(); at < t.end(); at += RELA_SIZE) {
                long info = elf.bytes.u64(at + 8, "Elf64_Rela.r_info");
                long offset = elf.bytes.u64(at, "Elf64_Rela.r_offset");
                if (rType(info) != 0 && !insideWritable(offset, 8)) {
                    throw new ElfFormatException(file, "Elf64_Rela.r_offset", at, "0x" + Long.toHexString(offset)
                            + " is not inside a writable PT_LOAD");
                }
                relocs.add(new Rela(offset, rType(info), (int) rSym(info), elf.bytes.u64(at + 16, "Elf64_Rela.r_addend"), at));
            }
        }
    }

    long flags() {
        long f = elf.dynamic.get(DT_FLAGS);
        return f == -1 ? 0 : f;
    }

    long flags1() {
        long f = elf.dynamic.get(DT_FLAGS_1);
        return f == -1 ? 0 : f;
    }

    /** The address a member-relative vaddr has in the merged file. */
    long rebase(long vaddr) {
        return base + vaddr;
    }

    /** Whether the member defines symbol {@code i} as a name others may bind to (an export, as ld.so sees it). */
    boolean exports(int i) {
        var s = elf.syms[i];
        return s.isDefined() && s.visibleToLookup() && !isVersionMarker(i);
    }

    /** The {@code SHN_ABS} symbol a linker emits for each version node ({@code OPENSSL_3.0.0}): not a definition. */
    boolean isVersionMarker(int i) {
        var s = elf.syms[i];
        if (s.st_shndx() != SHN_ABS || s.st_value() != 0) {
            return false;
        }
        String n = elf.name(i);
        return elf.verdefs.stream().anyMatch(d -> d.name().equals(n));
    }

    ElfFormatException error(String structure, long offset, String problem) {
        return new ElfFormatException(path.toString(), structure, offset, problem);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
