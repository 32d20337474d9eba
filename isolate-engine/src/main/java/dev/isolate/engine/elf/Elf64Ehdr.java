package dev.isolate.engine.elf;

import dev.isolate.engine.common.Checked;
import java.nio.ByteBuffer;

/** The ELF file header, fields as in the gABI. */
public record Elf64Ehdr(byte[] e_ident, int e_type, int e_machine, long e_version, long e_entry, long e_phoff,
        long e_shoff, long e_flags, int e_ehsize, int e_phentsize, int e_phnum, int e_shentsize, int e_shnum,
        int e_shstrndx) {

    public void write(ByteBuffer out, int off) {
        out.put(off, e_ident);
        out.putShort(off + 16, (short) e_type);
        out.putShort(off + 18, (short) e_machine);
        out.putInt(off + 20, (int) e_version);
        out.putLong(off + 24, e_entry);
        out.putLong(off + 32, e_phoff);
        out.putLong(off + 40, e_shoff);
        out.putInt(off + 48, (int) e_flags);
        out.putShort(off + 52, (short) e_ehsize);
        out.putShort(off + 54, (short) e_phentsize);
        out.putShort(off + 56, (short) Checked.u16(e_phnum, "e_phnum"));
        out.putShort(off + 58, (short) e_shentsize);
        out.putShort(off + 60, (short) e_shnum);
        out.putShort(off + 62, (short) e_shstrndx);
    }

    public Elf64Ehdr withPhdrsAndShoff(int phnum, long shoff) {
        return new Elf64Ehdr(e_ident, e_type, e_machine, e_version, e_entry, e_phoff, shoff, e_flags, e_ehsize,
                e_phentsize, phnum, e_shentsize, e_shnum, e_shstrndx);
    }
}
