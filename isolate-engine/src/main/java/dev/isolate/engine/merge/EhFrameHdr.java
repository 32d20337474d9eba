package dev.isolate.engine.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Adds the search table of {@code m}'s {@code PT_GNU_EH_FRAME}, refusing a header without one; or, for a member
     * linked without one ({@link Member#ehFrame}), the table its FDEs make.
     */
    void add(Member m) {
        if (m.ehFrameHdr == null) {
            if (m.ehFrame != null) {
                addFrames(m);
            }
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

    /**
     * The search table entries of an {@code .eh_frame} read record by record (LSB "The .eh_frame section"): each
     * CIE's augmentation says how its FDEs encode their initial location ({@code R}); each FDE gives one entry.
     * An FDE whose initial location is in none of the member's segments (left by a linker for discarded code)
     * can never match a PC, and gets none, as ld's own {@code --eh-frame-hdr} leaves it out.
     */
    private void addFrames(Member m) {
        var s = m.ehFrame;
        var b = m.elf.bytes;
        long start = s.sh_offset();
        long end = start + s.sh_size();
        b.check(start, s.sh_size(), ".eh_frame");
        Map<Long, long[]> cies = new HashMap<>(); // each CIE met so far, by its offset in the file: its body and end
        Map<Long, Integer> encodings = new HashMap<>(); // of the CIEs an FDE used, read once
        for (long at = start; end - at >= 4; ) {
            long length = b.u32(at, ".eh_frame record length");
            if (length == 0) {
                break; // the terminator
            }
            long body = at + 4;
            if (length == 0xffffffffL) {
                length = b.u64(at + 4, ".eh_frame record extended length");
                body = at + 12;
            }
            if (length < 4 || length > end - body) {
                throw m.error(".eh_frame", at, "a record of " + length + " bytes runs past the section's end");
            }
            long next = body + length;
            long id = b.u32(body, ".eh_frame CIE id");
            if (id == 0) {
                cies.put(at, new long[] {body, next});
            } else { // an FDE: id is the distance back from this field to its CIE
                long cie = body - id;
                long[] c = cies.get(cie);
                if (c == null) {
                    throw m.error(".eh_frame FDE", body, "its CIE pointer " + id + " names no CIE before it in the section");
                }
                int enc = encodings.computeIfAbsent(cie, k -> cieEncoding(m, k, c[0], c[1]));
                long loc = pointer(m, body + 4, enc, next, s.sh_addr() + (body + 4 - start));
                if (m.inside(loc, 0)) {
                    entries.add(new Entry(m, loc, s.sh_addr() + (at - start)));
                }
            }
            at = next;
        }
        if (ehFrameMember == null) {
            ehFrameMember = m;
            ehFrame = s.sh_addr();
        }
    }

    /**
     * The pointer encoding of the FDEs of the CIE at {@code cie} (its id at {@code body}, its record ending at
     * {@code end}): its augmentation's {@code R}, absent meaning absptr.
     */
    private static int cieEncoding(Member m, long cie, long body, long end) {
        var b = m.elf.bytes;
        long[] p = {body + 4};
        int version = b.u8(p[0]++, ".eh_frame CIE version");
        StringBuilder aug = new StringBuilder();
        for (int c; (c = b.u8(p[0]++, ".eh_frame CIE augmentation")) != 0; ) {
            if (p[0] >= end) {
                throw m.error(".eh_frame CIE augmentation", cie, "runs past its CIE");
            }
            aug.append((char) c);
        }
        if (aug.indexOf("eh") >= 0 || (aug.length() > 0 && aug.charAt(0) != 'z')) {
            throw m.error(".eh_frame CIE augmentation", cie, "'" + aug + "' is not supported by merge");
        }
        uleb(m, p, end); // code alignment factor
        uleb(m, p, end); // data alignment factor (signed; its value is not needed)
        if (version == 1) {
            p[0]++; // return address register, one byte in version 1
        } else {
            uleb(m, p, end);
        }
        int enc = 0; // DW_EH_PE_absptr
        if (aug.length() > 0) {
            uleb(m, p, end); // augmentation data length
            for (int i = 1; i < aug.length(); i++) {
                switch (aug.charAt(i)) {
                    case 'R' -> enc = b.u8(p[0]++, ".eh_frame CIE FDE encoding");
                    case 'L' -> p[0]++; // LSDA encoding
                    case 'P' -> { // personality: encoding, then a pointer of that encoding
                        int penc = b.u8(p[0]++, ".eh_frame CIE personality encoding");
                        p[0] += size(m, penc & 0x0f, cie);
                    }
                    case 'S', 'B', 'G' -> { } // signal frame, AArch64 BTI/MTE keys: no data
                    default -> throw m.error(".eh_frame CIE augmentation", cie, "'" + aug + "' is not supported by merge");
                }
            }
        }
        if (p[0] > end) {
            throw m.error(".eh_frame CIE", cie, "its fields run past its end");
        }
        return enc;
    }

    /** An FDE's initial location, {@code pcrel} from the field at {@code vaddr}: what PIC code's tables use. */
    private static long pointer(Member m, long off, int enc, long end, long vaddr) {
        if ((enc & 0x70) != DW_EH_PE_pcrel || (enc & 0x80) != 0) {
            throw m.error(".eh_frame FDE", off, "initial location encoding 0x" + Integer.toHexString(enc)
                    + " is not supported by merge (only pc-relative)");
        }
        int format = enc & 0x0f;
        if (size(m, format, off) > end - off) {
            throw m.error(".eh_frame FDE", off, "its initial location runs past its end");
        }
        var b = m.elf.bytes;
        long v = switch (format) {
            case 0x02 -> b.u16(off, ".eh_frame FDE initial location");
            case 0x03 -> b.u32(off, ".eh_frame FDE initial location");
            case 0x0a -> (short) b.u16(off, ".eh_frame FDE initial location");
            case DW_EH_PE_sdata4 -> (int) b.u32(off, ".eh_frame FDE initial location");
            default -> b.u64(off, ".eh_frame FDE initial location"); // udata8, sdata8 (absptr is refused above)
        };
        return vaddr + v;
    }

    /** The size of a pointer of this format (the low four bits of an encoding). */
    private static int size(Member m, int format, long at) {
        return switch (format) {
            case 0x00, 0x04, 0x0c -> 8; // absptr (ELF64), udata8, sdata8
            case 0x02, 0x0a -> 2;
            case 0x03, DW_EH_PE_sdata4 -> 4;
            default -> throw m.error(".eh_frame", at, "pointer format 0x" + Integer.toHexString(format) + " is not supported by merge");
        };
    }

    /** Reads an unsigned LEB128 at {@code p[0]}, advancing it; only its length matters here. */
    private static void uleb(Member m, long[] p, long end) {
        int n = 0;
        while ((m.elf.bytes.u8(p[0]++, ".eh_frame CIE") & 0x80) != 0) {
            if (++n > 10 || p[0] >= end) {
                throw m.error(".eh_frame CIE", p[0], "a LEB128 number runs past its CIE");
            }
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
