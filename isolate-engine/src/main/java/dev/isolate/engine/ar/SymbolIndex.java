package dev.isolate.engine.ar;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The GNU/System V symbol index, the member named {@code /}: a 32-bit big-endian count, one 32-bit
 * big-endian file offset per symbol (of the header of the member that defines it), then the names,
 * each NUL-terminated, in the same order; a NUL pads it to an even size, counted in the size. Linkers
 * read only this to decide which members to pull in (lld refuses an archive of objects without it).
 * Symbols are listed member by member, as GNU {@code ar s} lists them.
 */
final class SymbolIndex {
    private final List<ArMember> members;
    private final int count;
    private final long size;

    SymbolIndex(List<ArMember> members) {
        this.members = members;
        int n = 0;
        long strings = 0;
        for (ArMember m : members) {
            n += m.symbols().size();
            for (String s : m.symbols()) {
                strings += s.length() + 1;
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
    void write(ByteSink out, long[] headerOffsets) throws java.io.IOException {
        out.ensure(4);
        putBigEndian32(out.buffer(), count);
        for (int i = 0; i < members.size(); i++) {
            long off = headerOffsets[i];
            if (off > 0xffffffffL) {
                throw new IllegalStateException("archive member at " + off + ": beyond the 4 GiB a 32-bit index can address");
            }
            for (int k = members.get(i).symbols().size(); k > 0; k--) {
                out.ensure(4);
                putBigEndian32(out.buffer(), (int) off);
            }
        }
        long written = 4 + 4L * count;
        for (ArMember m : members) {
            for (String s : m.symbols()) {
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                out.ensure(b.length + 1);
                out.buffer().put(b).put((byte) 0);
                written += b.length + 1;
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

    private static void putBigEndian32(ByteBuffer b, int v) {
        b.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    }
}
