package dev.isolate.engine.elf;

import java.nio.ByteBuffer;

/** A section header, fields as in the gABI; {@code name} is resolved from the section name table for messages. */
public record Elf64Shdr(String name, long sh_name, int sh_type, long sh_flags, long sh_addr, long sh_offset,
        long sh_size, long sh_link, long sh_info, long sh_addralign, long sh_entsize) {

    public static Elf64Shdr read(ElfBytes b, long off, int index) {
        String s = "Elf64_Shdr[" + index + "]";
        return new Elf64Shdr("", b.u32(off, s + ".sh_name"), (int) b.u32(off + 4, s + ".sh_type"),
                b.u64(off + 8, s + ".sh_flags"), b.u64(off + 16, s + ".sh_addr"), b.u64(off + 24, s + ".sh_offset"),
                b.u64(off + 32, s + ".sh_size"), b.u32(off + 40, s + ".sh_link"), b.u32(off + 44, s + ".sh_info"),
                b.u64(off + 48, s + ".sh_addralign"), b.u64(off + 56, s + ".sh_entsize"));
    }

    public void write(ByteBuffer out, int off) {
        out.putInt(off, (int) sh_name);
        out.putInt(off + 4, sh_type);
        out.putLong(off + 8, sh_flags);
        out.putLong(off + 16, sh_addr);
        out.putLong(off + 24, sh_offset);
        out.putLong(off + 32, sh_size);
        out.putInt(off + 40, (int) sh_link);
        out.putInt(off + 44, (int) sh_info);
        out.putLong(off + 48, sh_addralign);
        out.putLong(off + 56, sh_entsize);
    }

    public Elf64Shdr named(String n) {
        return new Elf64Shdr(n, sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info,
                sh_addralign, sh_entsize);
    }

    public Elf64Shdr placed(long offset, long addr, long size) {
        return new Elf64Shdr(name, sh_name, sh_type, sh_flags, addr, offset, size, sh_link, sh_info, sh_addralign,
                sh_entsize);
    }

    public boolean isAlloc() {
        return (sh_flags & Elf.SHF_ALLOC) != 0;
    }

    /** Bytes this section occupies in the file (NOBITS occupy none). */
    public long fileSize() {
        return sh_type == Elf.SHT_NOBITS ? 0 : sh_size;
    }
}
