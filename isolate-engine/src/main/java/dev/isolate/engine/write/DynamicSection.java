package dev.isolate.engine.write;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.DynamicTable;
import dev.isolate.engine.elf.DynamicTable.Elf64Dyn;
import dev.isolate.engine.elf.ElfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code .dynamic}, rewritten in place (it must stay in its writable segment: glibc may adjust it).
 * A tag that the input lacks (a missing {@code DT_SONAME}) takes a spare {@code DT_NULL} slot, which GNU
 * ld always leaves; when there is none (lld), it takes the slot of {@code DT_RELACOUNT}/{@code DT_RELCOUNT},
 * a count ld.so only uses as a shortcut for the relative relocations it would process anyway.
 */
public final class DynamicSection {
    private final ElfFile elf;
    private final List<Elf64Dyn> entries;

    public DynamicSection(ElfFile elf) {
        this.elf = elf;
        this.entries = new ArrayList<>(elf.dynamic.entries());
    }

    /** Sets every entry with {@code tag}; returns whether one existed. */
    public boolean set(long tag, long value) {
        boolean found = false;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).d_tag() == tag) {
                entries.set(i, new Elf64Dyn(tag, value));
                found = true;
            }
        }
        return found;
    }

    /** Rewrites every entry whose tag is in {@code tags} through {@code f}. */
    public void map(long[] tags, java.util.function.LongUnaryOperator f) {
        for (int i = 0; i < entries.size(); i++) {
            Elf64Dyn e = entries.get(i);
            for (long t : tags) {
                if (e.d_tag() == t) {
                    entries.set(i, new Elf64Dyn(t, f.applyAsLong(e.d_val())));
                }
            }
        }
    }

    public void setOrAdd(long tag, long value) {
        if (set(tag, value)) {
            return;
        }
        DynamicTable t = elf.dynamic;
        if (entries.size() + 1 >= t.capacity()) {
            int drop = -1;
            for (int i = 0; i < entries.size(); i++) {
                long d = entries.get(i).d_tag();
                if (d == DT_RELACOUNT || d == DT_RELCOUNT) {
                    drop = i;
                }
            }
            if (drop < 0) {
                throw elf.bytes.error("PT_DYNAMIC", t.offset(), "no spare DT_NULL slot to add " + ElfFile.dtName(tag)
                        + " (the library was linked without one; relink it with -Wl,-soname,NAME)");
            }
            entries.remove(drop);
        }
        entries.add(new Elf64Dyn(tag, value));
    }

    /**
     * Sets DT_RUNPATH. An existing DT_RPATH entry becomes DT_RUNPATH rather than staying beside it:
     * ld.so ignores DT_RPATH when DT_RUNPATH is present, and a second tag would need a second slot.
     */
    public void setRunpath(long value) {
        if (set(DT_RUNPATH, value)) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).d_tag() == DT_RPATH) {
                entries.set(i, new Elf64Dyn(DT_RUNPATH, value));
                return;
            }
        }
        setOrAdd(DT_RUNPATH, value);
    }

    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(elf.dynamic.capacity() * DYN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.size(); i++) {
            b.putLong(i * DYN_SIZE, entries.get(i).d_tag());
            b.putLong(i * DYN_SIZE + 8, entries.get(i).d_val());
        }
        return b.array(); // the rest stays DT_NULL
    }
}
