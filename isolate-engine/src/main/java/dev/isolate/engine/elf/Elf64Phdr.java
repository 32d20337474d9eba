package dev.isolate.engine.elf;

import java.nio.ByteBuffer;

/** A program header (segment), fields as in the gABI. */
public record Elf64Phdr(int p_type, int p_flags, long p_offset, long p_vaddr, long p_paddr, long p_filesz,
        long p_memsz, long p_align) {

    public static Elf64Phdr read(ElfBytes b, long off, int index) {
        String s = "Elf64_Phdr[" + index + "]";
        return new Elf64Phdr((int) b.u32(off, s + ".p_type"), (int) b.u32(off + 4, s + ".p_flags"),
                b.u64(off + 8, s + ".p_offset"), b.u64(off + 16, s + ".p_vaddr"), b.u64(off + 24, s + ".p_paddr"),
                b.u64(off + 32, s + ".p_filesz"), b.u64(off + 40, s + ".p_memsz"), b.u64(off + 48, s + ".p_align"));
    }

    public void write(ByteBuffer out, int off) {
        out.putInt(off, p_type);
        out.putInt(off + 4, p_flags);
        out.putLong(off + 8, p_offset);
        out.putLong(off + 16, p_vaddr);
        out.putLong(off + 24, p_paddr);
        out.putLong(off + 32, p_filesz);
        out.putLong(off + 40, p_memsz);
        out.putLong(off + 48, p_align);
    }

    public boolean containsVaddr(long addr) {
        return addr >= p_vaddr && addr - p_vaddr < p_memsz;
    }

    /** True if {@code [off, off+len)} lies inside this segment's file image. */
    public boolean containsFileRange(long off, long len) {
        return off >= p_offset && off - p_offset <= p_filesz && len <= p_filesz - (off - p_offset);
    }

    public Elf64Phdr moved(long offset, long vaddr) {
        return new Elf64Phdr(p_type, p_flags, offset, vaddr, vaddr, p_filesz, p_memsz, p_align);
    }

    public Elf64Phdr resized(long filesz, long memsz) {
        return new Elf64Phdr(p_type, p_flags, p_offset, p_vaddr, p_paddr, filesz, memsz, p_align);
    }
}
