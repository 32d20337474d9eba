package dev.isolate.engine.elf;

import java.util.List;

/**
 * One {@code Elf64_Verdef} with its {@code Elf64_Verdaux} names. {@code offset} is the file offset of the
 * record; {@code nameFieldOffsets} are the file offsets of each {@code vda_name}, so a rename can patch them.
 */
public record Verdef(long offset, int vd_flags, int vd_ndx, int vd_cnt, long vd_hash, List<String> names,
        List<Long> nameFieldOffsets) {
    public static final int SIZE = 20;
    public static final int AUX_SIZE = 8;

    public boolean isBase() {
        return (vd_flags & Elf.VER_FLG_BASE) != 0;
    }

    public String name() {
        return names.isEmpty() ? "" : names.get(0);
    }
}
