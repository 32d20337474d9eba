package dev.isolate.engine.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The merged {@code .eh_frame_hdr} (LSB "Exception Frames"): version 1, a pointer to an {@code .eh_frame},
 * the FDE count, then a search table of (initial location, FDE address) pairs sorted by location, both
 * {@code DW_EH_PE_datarel|sdata4} from the header's own address. libgcc's unwinder finds an object's header
 * through {@code PT_GNU_EH_FRAME} and binary-searches the table; each FDE stays where its member put it
 * (its CIE pointer and pc-relative initial location move with it), so the merged table is every member's
 * table, rebased and merged. {@code eh_frame_ptr} is used only without a table; it names the first member's.
 */
final class EhFrameHdr {
    static final int DW_EH_PE_udata4 = 0x03;
    static final int DW_EH_PE_sdata4 = 0x0b;
    static final int DW_EH_PE_pcrel = 0x10;
    static final int DW_EH_PE_datarel = 0x30;
    static final int DW_EH_PE_omit = 0xff;

    private record Entry(Member m, long loc, long fde) {}

    private final List<Entry> entries = new ArrayList<>(); // member-relative: read before the layout places members
    private Member ehFrameMember;
    private long ehFrame;

    /** Adds the search table of {@code m}'s {@code PT_GNU_EH_FRAME}, refusing a header without one. */
    void add(Member m) {
        if (m.ehFrameHdr == null) {
            return;
        }
        var p = m.ehFrameHdr;
        var b = m.elf.bytes;
        long off = p.p_offset();
        int version = b.u8(off, "PT_GNU_EH_FRAME.version");
        int ptrEnc = b.u8(off + 1, "PT_GNU_EH_FRAME.eh_frame_ptr_enc");
        int countEnc = b.u8(off + 2, "PT_GNU_EH_FRAME.fde_count_enc");
        int tableEnc = b.u8(off + 3, "PT_GNU_EH_FRAME.table_enc");
        if (version != 1 || ptrEnc != (DW_EH_PE_pcrel | DW_EH_PE_sdata4) || countEnc != DW_EH_PE_udata4
                || tableEnc != (DW_EH_PE_datarel | DW_EH_PE_sdata4)) {
            throw m.error("PT_GNU_EH_FRAME", off, "an .eh_frame_hdr without the usual search table (version " + version
                    + ", encodings 0x" + Integer.toHexString(ptrEnc) + "/0x" + Integer.toHexString(countEnc) + "/0x"
                    + Integer.toHexString(tableEnc) + ") is not supported by merge");
        }
        long hdr = p.p_vaddr();
        if (!m.inside(hdr, 12)) {
            throw m.error("PT_GNU_EH_FRAME.p_vaddr", off, "0x" + Long.toHexString(hdr) + " is not inside a PT_LOAD");
        }
        if (ehFrameMember == null) {
            ehFrameMember = m;
            ehFrame = hdr + 4 + (int) b.u32(off + 4, "PT_GNU_EH_FRAME.eh_frame_ptr");
        }
        long count = b.u32(off + 8, "PT_GNU_EH_FRAME.fde_count");
        b.check(off + 12, count * 8, "PT_GNU_EH_FRAME table");
        for (long i = 0; i < count; i++) {
            long at = off + 12 + 8 * i;
            long loc = hdr + (int) b.u32(at, "PT_GNU_EH_FRAME table");
            long fde = hdr + (int) b.u32(at + 4, "PT_GNU_EH_FRAME table");
            if (!m.inside(loc, 0) || !m.inside(fde, 8)) {
                throw m.error("PT_GNU_EH_FRAME table[" + i + "]", at, "initial location 0x" + Long.toHexString(loc)
                        + " or FDE 0x" + Long.toHexString(fde) + " is not inside a PT_LOAD");
            }
            entries.add(new Entry(m, loc, fde));
        }
    }

    boolean isNeeded() {
        return !entries.isEmpty();
    }

    long size() {
        return 12L + 8L * entries.size();
    }

    /** The table placed at {@code addr}, once the members have their bases. */
    byte[] bytes(long addr) {
        long[][] sorted = new long[entries.size()][];
        for (int i = 0; i < sorted.length; i++) {
            Entry e = entries.get(i);
            sorted[i] = new long[] {e.m().rebase(e.loc()), e.m().rebase(e.fde())};
        }
        Arrays.sort(sorted, (x, y) -> Long.compare(x[0], y[0])); // stable: equal locations keep member order
        ByteBuffer b = ByteBuffer.allocate((int) size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 1);
        b.put(1, (byte) (DW_EH_PE_pcrel | DW_EH_PE_sdata4));
        b.put(2, (byte) DW_EH_PE_udata4);
        b.put(3, (byte) (DW_EH_PE_datarel | DW_EH_PE_sdata4));
        b.putInt(4, Math.toIntExact(ehFrameMember.rebase(ehFrame) - (addr + 4)));
        b.putInt(8, sorted.length);
        for (int i = 0; i < sorted.length; i++) {
            b.putInt(12 + 8 * i, Math.toIntExact(sorted[i][0] - addr));
            b.putInt(16 + 8 * i, Math.toIntExact(sorted[i][1] - addr));
        }
        return b.array();
    }
}
