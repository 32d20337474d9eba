package dev.isolate.engine.ar;

import java.nio.ByteBuffer;

/**
 * The GNU/System V symbol index, the member named {@code /}: a 32-bit big-endian count, one 32-bit
 * big-endian file offset per symbol (of the header of the member that defines it), then the names,
 * each NUL-terminated, in the same order; a NUL pads it to an even size, counted in the size. Linkers
 * read only this to decide which members to pull in (lld refuses an archive of objects without it).
 * Symbols are listed member by member, as GNU {@code ar s} lists them.
 */
final class SymbolIndex {
    private final Members members;
    private final int count;
    private final long size;

    SymbolIndex(Members members) {
        this.members = members;
        int n = 0;
        long strings = 0;
        for (int i = 0; i < members.count(); i++) {
            int k = members.symbolCount(i);
            n += k;
            for (int j = 0; j < k; j++) {
                strings += members.symbol(i, j).length() + 1;
            }
        }
        this.count = n;
        long raw = 4 + 4L * n + strings;
        this.size = raw + (raw & 1);
    }

    boolean isNeeded() {
        return count > 0;
    }

    /** The member's size, padding included. */
    long size() {
        return size;
    }

    /** Writes the contents (not the header); {@code headerOffsets[i]} is where member i's header starts. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, no charset
    void write(ByteSink out, long[] headerOffsets) throws java.io.IOException {
        out.ensure(4);
        out.buffer().putInt(Integer.reverseBytes(count));
        for (int i = 0; i < members.count(); i++) {
            long off = headerOffsets[i];
            if (off > 0xffffffffL) {
                throw new IllegalStateException("archive member at " + off + ": beyond the 4 GiB a 32-bit index can address");
            }
            for (int k = members.symbolCount(i); k > 0; k--) {
                out.ensure(4);
                out.buffer().putInt(Integer.reverseBytes((int) off)); // big-endian in a little-endian buffer
            }
        }
        long written = 4 + 4L * count;
        for (int i = 0; i < members.count(); i++) {
            for (int j = 0, k = members.symbolCount(i); j < k; j++) {
                String s = members.symbol(i, j);
                int len = s.length();
                out.ensure(len + 1);
                ByteBuffer b = out.buffer();
                int p = b.position();
                s.getBytes(0, len, b.array(), b.arrayOffset() + p);
                b.put(p + len, (byte) 0).position(p + len + 1);
                written += len + 1;
            }
        }
        if ((written & 1) != 0) {
            out.ensure(1);
            out.buffer().put((byte) 0);
            written++;
        }
        if (written != size) {
            throw new IllegalStateException("symbol index: wrote " + written + " bytes, planned " + size);
        }
    }
}
