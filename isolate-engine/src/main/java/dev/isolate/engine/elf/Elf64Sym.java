package dev.isolate.engine.elf;

import dev.isolate.engine.common.Checked;
import java.nio.ByteBuffer;

/** A symbol table entry, fields as in the gABI. */
public record Elf64Sym(long st_name, int st_info, int st_other, int st_shndx, long st_value, long st_size) {

    public static Elf64Sym read(ByteBuffer b, int off) {
        return new Elf64Sym(b.getInt(off) & 0xffffffffL, b.get(off + 4) & 0xff, b.get(off + 5) & 0xff,
                b.getShort(off + 6) & 0xffff, b.getLong(off + 8), b.getLong(off + 16));
    }

    /** The entry from its three little-endian 64-bit words, as {@link #write(long[], int)} writes them. */
    public static Elf64Sym of(long word0, long value, long size) {
        return new Elf64Sym(word0 & 0xffffffffL, (int) (word0 >>> 32) & 0xff, (int) (word0 >>> 40) & 0xff,
                (int) (word0 >>> 48) & 0xffff, value, size);
    }

    public void write(ByteBuffer out, int off) {
        out.putInt(off, Checked.u32(st_name, "st_name"));
        out.put(off + 4, (byte) st_info);
        out.put(off + 5, (byte) st_other);
        out.putShort(off + 6, (short) st_shndx);
        out.putLong(off + 8, st_value);
        out.putLong(off + 16, st_size);
    }

    /**
     * Writes the entry as three little-endian 64-bit words at {@code words[at]}: tables of thousands of
     * symbols are built in a {@code long[]} and put into their buffer at once, which costs a fraction
     * of six {@code ByteBuffer} calls per symbol until the JIT has compiled them.
     */
    public void write(long[] words, int at) {
        write(words, at, st_name, st_value);
    }

    /** Like {@link #write(long[], int)}, with {@code st_name} and {@code st_value} replaced (no new record per symbol). */
    public void write(long[] words, int at, long name, long value) {
        words[at] = (Checked.u32(name, "st_name") & 0xffffffffL) | (st_info & 0xffL) << 32 | (st_other & 0xffL) << 40
                | (st_shndx & 0xffffL) << 48;
        words[at + 1] = value;
        words[at + 2] = st_size;
    }

    public int bind() {
        return Elf.stBind(st_info);
    }

    public int type() {
        return Elf.stType(st_info);
    }

    public int visibility() {
        return Elf.stVisibility(st_other);
    }

    /**
     * Whether ld.so's lookup can find this symbol at all (glibc's do_lookup_x): a GLOBAL, WEAK or GNU_UNIQUE binding
     * (any other, processor-specific ones included, is skipped as local) and DEFAULT or PROTECTED visibility (HIDDEN
     * and INTERNAL bind locally: dl_symbol_visibility_binds_local_p). Defined or not.
     */
    public boolean visibleToLookup() {
        int b = bind();
        int v = visibility();
        return (b == Elf.STB_GLOBAL || b == Elf.STB_WEAK || b == Elf.STB_GNU_UNIQUE) && (v == Elf.STV_DEFAULT || v == Elf.STV_PROTECTED);
    }

    public boolean isDefined() {
        return st_shndx != Elf.SHN_UNDEF;
    }

    public Elf64Sym withName(long name) {
        return new Elf64Sym(name, st_info, st_other, st_shndx, st_value, st_size);
    }

    public Elf64Sym withValue(long value) {
        return new Elf64Sym(st_name, st_info, st_other, st_shndx, value, st_size);
    }
}
