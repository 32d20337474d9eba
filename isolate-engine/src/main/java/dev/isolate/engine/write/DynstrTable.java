package dev.isolate.engine.write;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The new {@code .dynstr}: the old bytes kept exactly as they are (linkers share string tails, and
 * {@code DT_NEEDED}, {@code Verneed} and unrenamed symbols keep pointing into them), then each new
 * name appended once (foo@V1 and foo@@V2 share one new string).
 *
 * <p>Sized for libLLVM's 45k new names: they are appended into fixed-size chunks (no doubling and
 * copying of a growing array), found again through an open-addressing table of offsets (no boxed
 * map entries), and placed in the output chunk by chunk; the old bytes are copied from the input by
 * the kernel.
 */
public final class DynstrTable {
    private static final int CHUNK = 256 * 1024;

    private final byte[] old;
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Integer> used = new ArrayList<>(); // bytes used in each chunk but the last
    private byte[] chunk = new byte[0];
    private int chunkUsed; // in the last chunk
    private long appendedSize;
    // Open addressing: keys[i] is a name, offsets[i] its offset; sized to stay at most half full.
    private String[] keys = new String[1024];
    private long[] offsets = new long[1024];
    private int count;

    public DynstrTable(byte[] old) {
        this.old = old;
    }

    /** Offset of {@code s} in the new table, appending it the first time. */
    public long add(String s) {
        return add(s, null);
    }

    /** Same as {@link #add(String)}, given {@code s} already encoded (ISO-8859-1), or null. */
    public long add(String s, byte[] encoded) {
        int mask = keys.length - 1;
        int i = mix(s.hashCode()) & mask;
        for (String k; (k = keys[i]) != null; i = (i + 1) & mask) {
            if (k.equals(s)) {
                return offsets[i];
            }
        }
        long at = old.length + appendedSize;
        byte[] b = encoded != null ? encoded : s.getBytes(StandardCharsets.ISO_8859_1);
        if (chunkUsed + b.length + 1 > chunk.length) { // a new chunk, large enough for any name
            if (!chunks.isEmpty()) {
                used.add(chunkUsed);
            }
            chunk = new byte[Math.max(CHUNK, b.length + 1)];
            chunks.add(chunk);
            chunkUsed = 0;
        }
        System.arraycopy(b, 0, chunk, chunkUsed, b.length); // and the NUL, already there: chunks start zeroed
        chunkUsed += b.length + 1;
        appendedSize += b.length + 1;
        keys[i] = s;
        offsets[i] = at;
        if (++count * 2 > keys.length) {
            grow();
        }
        return at;
    }

    private void grow() {
        String[] oldKeys = keys;
        long[] oldOffsets = offsets;
        keys = new String[oldKeys.length * 2];
        offsets = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = mix(oldKeys[j].hashCode()) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                offsets[i] = oldOffsets[j];
            }
        }
    }

    /** Spreads String hash codes (similar names differ in their low bits only a little) over the table. */
    private static int mix(int h) {
        h *= 0x9e3779b9;
        return h ^ (h >>> 16);
    }

    public long size() {
        return old.length + appendedSize;
    }

    /** Places the table at {@code off}: the old bytes copied from the input's {@code oldOffset}, the new names after them. */
    public void place(OutputImage out, long off, long oldOffset) {
        out.copy(off, oldOffset, old.length);
        long at = off + old.length;
        for (int c = 0; c < chunks.size(); c++) {
            int n = c < used.size() ? used.get(c) : chunkUsed;
            out.put(at, chunks.get(c), n);
            at += n;
        }
    }
}
