package dev.isolate.engine.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code PT_DYNAMIC} array up to its first {@code DT_NULL}, plus how many spare {@code DT_NULL}
 * slots follow it. GNU ld leaves a few spares, lld none; a spare slot is what lets us add a tag
 * (a missing {@code DT_SONAME}) without moving the table.
 */
public record DynamicTable(long offset, long vaddr, List<Elf64Dyn> entries, int capacity) {

    public record Elf64Dyn(long d_tag, long d_val) {}

    public static DynamicTable read(ElfBytes b, Elf64Phdr dyn) {
        long n = dyn.p_filesz() / Elf.DYN_SIZE;
        b.check(dyn.p_offset(), n * Elf.DYN_SIZE, "PT_DYNAMIC");
        List<Elf64Dyn> entries = new ArrayList<>();
        boolean terminated = false;
        for (long i = 0; i < n; i++) {
            long off = dyn.p_offset() + i * Elf.DYN_SIZE;
            long tag = b.u64(off, "Elf64_Dyn[" + i + "].d_tag");
            if (tag == Elf.DT_NULL) {
                terminated = true;
                break;
            }
            entries.add(new Elf64Dyn(tag, b.u64(off + 8, "Elf64_Dyn[" + i + "].d_val")));
        }
        if (!terminated) {
            throw b.error("PT_DYNAMIC", dyn.p_offset(), "no DT_NULL terminator in " + n + " entries");
        }
        return new DynamicTable(dyn.p_offset(), dyn.p_vaddr(), List.copyOf(entries), (int) n);
    }

    /** The value of the first entry with {@code tag}, or -1. */
    public long get(long tag) {
        for (Elf64Dyn e : entries) {
            if (e.d_tag() == tag) {
                return e.d_val();
            }
        }
        return -1;
    }

    public boolean has(long tag) {
        return get(tag) != -1 || entries.stream().anyMatch(e -> e.d_tag() == tag);
    }

    public List<Long> all(long tag) {
        List<Long> out = new ArrayList<>();
        for (Elf64Dyn e : entries) {
            if (e.d_tag() == tag) {
                out.add(e.d_val());
            }
        }
        return out;
    }

    /** DT_NULL slots after the terminator: how many tags can be added in place. */
    public int spareSlots() {
        return capacity - entries.size() - 1;
    }
}
