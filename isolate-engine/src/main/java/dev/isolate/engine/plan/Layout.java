package dev.isolate.engine.plan;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.machine.Machine;
import java.util.ArrayList;
import java.util.List;

/**
 * Where everything goes in the output, decided once before any byte is written.
 *
 * <h2>Growing the program header table</h2>
 * The new tables need one more {@code PT_LOAD}, so the program header table grows by one entry. It
 * stays where it is, right after the ELF header: that is where BFD {@code strip}/{@code objcopy} put it
 * back when they rewrite a file, and a table moved elsewhere (the reference tool's way) no longer fits
 * after them. The bytes that follow the table are made free by moving the <em>block</em> of tables that
 * start there (notes, hash tables, {@code .dynsym}, version tables, dynamic relocations: things reached
 * only through {@code DT_*} tags and program headers) into the new segment, by one delta. Code and
 * data are never moved, and section headers keep their order and indices, so a strip tool's view of
 * the file stays consistent ({@code st_shndx} in {@code .dynsym} stays valid).
 *
 * <h2>The new segment</h2>
 * Read-only, placed after everything in the file and above every existing segment in memory, on a page
 * of its own. Its alignment is the largest of every {@code p_align} and the target's maximum page size
 * (64 KiB-aligned inputs stay loadable on 64 KiB kernels), and its address is chosen congruent to its
 * offset modulo that alignment, so the file is not padded (patchelf pads 2 MiB-aligned files by 2 MiB).
 */
public final class Layout {
    /** A contiguous range of the input file. */
    public record Range(String what, long offset, long end, int shndx, long align) {}

    public final long align; // p_align of the new segment
    public final long phEnd0; // end of the old program header table
    public final long phEnd1; // end of the grown one
    public final long blockStart;
    public final long blockEnd; // == blockStart when nothing moves
    public final long blockOldAddr;
    public final long blockOffDelta;
    public final long blockAddrDelta;
    public final List<Integer> movedSections;
    public final long copyLength;
    public final long segOffset;
    public final long segVaddr;
    public final long dynstrOffset;
    public final long gnuHashOffset;
    public final long sysvHashOffset;
    public final long segEnd;
    public final long shoff; // 0 when the input has no section headers
    public final long fileSize;

    public Layout(ElfFile elf, Machine machine, long dynstrSize, long gnuHashSize, long sysvHashSize) {
        long a = machine.maxPageSize();
        long maxVEnd = 0;
        for (Elf64Phdr p : elf.phdrs) {
            if (p.p_type() == PT_LOAD) {
                a = Math.max(a, p.p_align());
                maxVEnd = Math.max(maxVEnd, p.p_vaddr() + p.p_memsz());
            }
        }
        this.align = a;
        checkLoadable(elf);
        long phoff = elf.ehdr.e_phoff();
        this.phEnd0 = phoff + (long) elf.phdrs.size() * PHDR_SIZE;
        this.phEnd1 = phEnd0 + PHDR_SIZE;
        if (elf.phdrs.size() + 1 >= 0xffff) {
            throw elf.bytes.error("Elf64_Ehdr.e_phnum", 56, "too many program headers to add one");
        }
        Elf64Phdr phLoad = null;
        for (Elf64Phdr p : elf.phdrs) {
            if (p.p_type() == PT_LOAD && p.containsFileRange(phoff, phEnd0 - phoff)) {
                phLoad = p;
            }
        }
        if (phLoad == null) {
            throw elf.bytes.error("Elf64_Phdr table", phoff, "is not inside a PT_LOAD; such a layout is not supported");
        }
        if (!phLoad.containsFileRange(phoff, phEnd1 - phoff)) {
            throw elf.bytes.error("Elf64_Phdr table", phoff, "fills its whole PT_LOAD: no room for one more entry");
        }

        // The block: everything that overlaps [phEnd0, phEnd1), transitively.
        List<Range> occupants = occupants(elf);
        for (Range r : occupants) {
            if (r.offset() < phEnd0 && r.end() > phoff && r.end() > r.offset()) {
                throw elf.bytes.error(r.what(), r.offset(), "overlaps the program header table");
            }
        }
        long end = phEnd0;
        long want = phEnd1;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Range r : occupants) {
                if (r.offset() < Math.max(end, want) && r.end() > end && r.offset() >= phEnd0) {
                    end = r.end();
                    changed = true;
                }
            }
            want = end;
        }
        this.blockStart = phEnd0;
        this.blockEnd = end;
        checkNothingElseRewritten(elf, phoff, Math.max(phEnd1, end));
        long blockAlign = 8;
        List<Integer> moved = new ArrayList<>();
        if (blockEnd > blockStart) {
            if (!phLoad.containsFileRange(blockStart, blockEnd - blockStart)) {
                throw elf.bytes.error("Elf64_Phdr table", phoff, "the tables after it run past its PT_LOAD");
            }
            checkMovable(elf, occupants);
            for (int i = 1; i < elf.shdrs.size(); i++) {
                Elf64Shdr s = elf.shdrs.get(i);
                if (s.isAlloc() && s.sh_offset() >= blockStart && s.sh_offset() < blockEnd && s.fileSize() > 0) {
                    moved.add(i);
                    blockAlign = Math.max(blockAlign, s.sh_addralign());
                }
            }
        }
        this.movedSections = List.copyOf(moved);

        long contentEnd = copyLength(elf);
        this.copyLength = contentEnd;

        long seg = alignUp(contentEnd, 16);
        this.segOffset = seg;
        long blockOff = seg + Math.floorMod(blockStart - seg, blockAlign);
        long cursor = blockOff + (blockEnd - blockStart);
        this.dynstrOffset = cursor;
        cursor += dynstrSize;
        this.gnuHashOffset = alignUp(cursor, 8);
        cursor = gnuHashOffset + gnuHashSize;
        this.sysvHashOffset = alignUp(cursor, 8);
        cursor = sysvHashOffset + sysvHashSize;
        this.segEnd = cursor;
        // eu-elflint treats [r_offset, r_offset + st_size) of every dynamic relocation as written, so a
        // read-only segment within one symbol's size above the writable one draws a false "read-only
        // section modified". Virtual space is free: keep the new segment that far away.
        long maxSymSize = 0;
        for (var sym : elf.syms) {
            maxSymSize = Math.max(maxSymSize, sym.st_size());
        }
        this.segVaddr = alignUp(maxVEnd, a) + alignUp(Math.min(maxSymSize, 1L << 32), a) + Math.floorMod(seg, a);
        // Each term is at most 2^48 (the reader bounds p_vaddr, p_memsz and p_align by 2^47): no overflow. But a large
        // p_align can push the new segment past what a loader maps, and the output would not read back.
        if (segVaddr + (segEnd - segOffset) > ElfFile.ADDRESS_LIMIT) {
            throw elf.bytes.error("Elf64_Phdr table", phoff, "no address below 2^47 for the new segment: it would start at 0x"
                    + Long.toHexString(segVaddr) + " (PT_LOAD p_align up to 0x" + Long.toHexString(a) + ", segments end at 0x"
                    + Long.toHexString(maxVEnd) + ")");
        }
        this.blockOffDelta = blockOff - blockStart;
        this.blockOldAddr = phLoad.p_vaddr() + (blockStart - phLoad.p_offset());
        this.blockAddrDelta = addr(blockOff) - blockOldAddr;
        this.shoff = elf.shdrs.isEmpty() ? 0 : alignUp(segEnd, 8);
        this.fileSize = elf.shdrs.isEmpty() ? segEnd : shoff + (long) elf.shdrs.size() * SHDR_SIZE;
    }

    /**
     * How much of the input is copied through unchanged: everything but a section header table that is
     * the last thing in the file (it is rewritten after the new segment). Known from the headers alone,
     * so the copy can start before the rewrite is planned.
     */
    public static long copyLength(ElfFile elf) {
        long contentEnd = elf.ehdr.e_phoff() + (long) (elf.phdrs.size() + 1) * PHDR_SIZE;
        for (Elf64Shdr s : elf.shdrs) {
            contentEnd = Math.max(contentEnd, s.sh_offset() + s.fileSize());
        }
        for (Elf64Phdr p : elf.phdrs) {
            contentEnd = Math.max(contentEnd, p.p_offset() + p.p_filesz());
        }
        long shTableEnd = elf.ehdr.e_shoff() + (long) elf.shdrs.size() * SHDR_SIZE;
        if (elf.shdrs.isEmpty() || elf.ehdr.e_shoff() < contentEnd || shTableEnd != elf.bytes.size()) {
            contentEnd = Math.max(contentEnd, elf.bytes.size());
        }
        return Math.min(contentEnd, elf.bytes.size());
    }

    /** Address in the new segment of output offset {@code off}. */
    public long addr(long off) {
        return segVaddr + (off - segOffset);
    }

    public boolean inBlock(long offset) {
        return offset >= blockStart && offset < blockEnd;
    }

    /** Output offset of input offset {@code off} for data that stays in place or moves with the block. */
    public long finalOffset(long off) {
        return inBlock(off) ? off + blockOffDelta : off;
    }

    /** Output address of input address {@code addr}. */
    public long finalAddr(long addr) {
        return inBlockAddr(addr) ? addr + blockAddrDelta : addr;
    }

    public boolean inBlockAddr(long addr) {
        return addr >= blockOldAddr && addr < blockOldAddr + (blockEnd - blockStart);
    }

    public Elf64Phdr newLoad() {
        return new Elf64Phdr(PT_LOAD, PF_R, segOffset, segVaddr, segVaddr, segEnd - segOffset, segEnd - segOffset, align);
    }

    static long alignUp(long v, long a) {
        return a <= 1 ? v : (v + a - 1) & -a;
    }

    /**
     * What the Verifier demands of every output, demanded of the input first: each allocated section lies in a
     * PT_LOAD that maps its offset to its address ({@code .tbss} takes no image; a NOBITS section needs only its address). Headers
     * that stay in place are copied as they are, so an input breaking this is bad input, said where: it once
     * came out as "internal error, the output failed its own check" (ElfFuzzTest).
     */
    private static void checkLoadable(ElfFile elf) {
        for (int i = 1; i < elf.shdrs.size(); i++) {
            Elf64Shdr s = elf.shdrs.get(i);
            boolean nobits = s.sh_type() == SHT_NOBITS;
            if (!s.isAlloc() || s.sh_size() == 0 || (nobits && (s.sh_flags() & SHF_TLS) != 0)) {
                continue;
            }
            boolean in = false;
            for (Elf64Phdr p : elf.phdrs) {
                in |= p.p_type() == PT_LOAD && (nobits ? p.containsVaddr(s.sh_addr())
                        : p.containsFileRange(s.sh_offset(), s.sh_size()) && s.sh_addr() - p.p_vaddr() == s.sh_offset() - p.p_offset());
            }
            if (!in) {
                throw elf.bytes.error("Elf64_Shdr[" + i + "].sh_addr (" + s.name() + ")", elf.ehdr.e_shoff() + (long) i * SHDR_SIZE + 16,
                        "section at 0x" + Long.toHexString(s.sh_addr()) + (nobits ? "" : " (offset 0x" + Long.toHexString(s.sh_offset())
                        + ", 0x" + Long.toHexString(s.sh_size()) + " bytes)") + " lies in no PT_LOAD that maps it there");
            }
        }
    }

    private static List<Range> occupants(ElfFile elf) {
        List<Range> out = new ArrayList<>();
        for (int i = 1; i < elf.shdrs.size(); i++) {
            Elf64Shdr s = elf.shdrs.get(i);
            if (s.isAlloc() && s.fileSize() > 0) {
                out.add(new Range("Elf64_Shdr[" + i + "] (" + s.name() + ")", s.sh_offset(), s.sh_offset() + s.sh_size(), i, s.sh_addralign()));
            }
        }
        for (ElfFile.Table t : tables(elf)) {
            out.add(new Range(t.name(), t.offset(), t.end(), t.shndx(), 8));
        }
        for (Elf64Phdr p : elf.phdrs) {
            if ((p.p_type() == PT_NOTE || p.p_type() == PT_INTERP || p.p_type() == PT_GNU_PROPERTY) && p.p_filesz() > 0) {
                out.add(new Range(ptName(p.p_type()), p.p_offset(), p.p_offset() + p.p_filesz(), -1, p.p_align()));
            }
        }
        return out;
    }

    static List<ElfFile.Table> tables(ElfFile elf) {
        List<ElfFile.Table> t = new ArrayList<>();
        for (ElfFile.Table x : new ElfFile.Table[] {elf.dynsym, elf.dynstr, elf.gnuHash, elf.sysvHash, elf.versym,
            elf.verdefTable, elf.verneedTable}) {
            if (x != null && x.size() > 0) {
                t.add(x);
            }
        }
        t.addAll(elf.dynRelocs);
        return t;
    }

    /** Everything in the block must be something reached only through DT_* tags or program headers. */
    private void checkMovable(ElfFile elf, List<Range> occupants) {
        for (int i = 1; i < elf.shdrs.size(); i++) {
            Elf64Shdr s = elf.shdrs.get(i);
            if (!s.isAlloc() || s.fileSize() == 0 || s.sh_offset() >= blockEnd || s.sh_offset() + s.sh_size() <= blockStart) {
                continue;
            }
            boolean ok = switch (s.sh_type()) {
                case SHT_NOTE, SHT_HASH, SHT_GNU_HASH, SHT_DYNSYM, SHT_GNU_VERSYM, SHT_GNU_VERDEF, SHT_GNU_VERNEED,
                        SHT_RELA, SHT_REL, SHT_RELR -> true;
                case SHT_STRTAB -> i == elf.dynstr.shndx();
                case SHT_PROGBITS -> isInterp(elf, s);
                default -> false;
            };
            if (!ok) {
                throw new ElfFormatException(elf.bytes.file(), "Elf64_Shdr[" + i + "] (" + s.name() + ")", s.sh_offset(),
                        "follows the program header table, which must grow by one entry, and this kind of section cannot be moved; such a layout is not supported");
            }
        }
        for (Elf64Phdr p : elf.phdrs) {
            boolean overlaps = p.p_type() != PT_LOAD && p.p_type() != PT_PHDR && p.p_filesz() > 0
                    && p.p_offset() < blockEnd && p.p_offset() + p.p_filesz() > blockStart;
            boolean inside = p.p_offset() >= blockStart && p.p_offset() + p.p_filesz() <= blockEnd;
            boolean movable = p.p_type() == PT_NOTE || p.p_type() == PT_GNU_PROPERTY || p.p_type() == PT_INTERP;
            if (overlaps && !(inside && movable)) {
                throw elf.bytes.error(ptName(p.p_type()), p.p_offset(), "lies in the tables after the program header table and cannot move with them");
            }
        }
        if (elf.shdrs.isEmpty()) {
            // No section headers to prove what the block holds: the known tables must cover it.
            List<Range> in = new ArrayList<>();
            for (Range r : occupants) {
                if (r.offset() >= blockStart && r.offset() < blockEnd) {
                    in.add(r);
                }
            }
            in.sort((x, y) -> Long.compare(x.offset(), y.offset()));
            long covered = blockStart;
            for (Range r : in) {
                if (r.offset() - covered >= 16) {
                    throw elf.bytes.error("bytes after the program header table", covered,
                            "unknown contents up to 0x" + Long.toHexString(r.offset()) + " (no section headers): cannot move them safely");
                }
                covered = Math.max(covered, r.end());
            }
        }
    }

    /**
     * The program header table grows into {@code [phEnd0, phEnd1)} and the block's old place is zeroed: a
     * non-allocated section there (no linker puts one there: the fuzzer did) would be overwritten under a header
     * that still points at it, and a {@code .symtab} there patched twice (once "overlapping patches").
     */
    private static void checkNothingElseRewritten(ElfFile elf, long from, long to) {
        for (int i = 1; i < elf.shdrs.size(); i++) {
            Elf64Shdr s = elf.shdrs.get(i);
            if (!s.isAlloc() && s.fileSize() > 0 && s.sh_offset() < to && s.sh_offset() + s.fileSize() > from) {
                throw elf.bytes.error("Elf64_Shdr[" + i + "].sh_offset (" + s.name() + ")", elf.ehdr.e_shoff() + (long) i * SHDR_SIZE + 24,
                        "non-allocated section at 0x" + Long.toHexString(s.sh_offset()) + " overlaps the program header table or the tables"
                        + " after it [0x" + Long.toHexString(from) + ", 0x" + Long.toHexString(to) + "), which the rewrite moves");
            }
        }
    }

    private static boolean isInterp(ElfFile elf, Elf64Shdr s) {
        for (Elf64Phdr p : elf.phdrs) {
            if (p.p_type() == PT_INTERP && p.p_offset() == s.sh_offset()) {
                return true;
            }
        }
        return false;
    }
}
