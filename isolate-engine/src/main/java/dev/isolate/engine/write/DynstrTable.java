package dev.isolate.engine.write;

import dev.isolate.engine.elf.ElfHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The new {@code .dynstr}: the old bytes kept exactly as they are (linkers share string tails, and
 * {@code DT_NEEDED}, {@code Verneed} and unrenamed symbols keep pointing into them), then each new
 * name appended once (foo@V1 and foo@@V2 share one new string).
 *
 * <p>Sized for libLLVM's 45k new names: they are appended into fixed-size chunks (no doubling and
 * copying of a growing array), found again through an open-addressing table of offsets (no boxed
 * map entries) by the GNU hash the rewrite computes for every name anyway, and placed in the output
 * chunk by chunk; the old bytes are copied from the input by the kernel. Names are deduplicated by the
 * bytes they are written as.
 */
public final class DynstrTable {
    private static final int CHUNK = 256 * 1024;

    private final byte[] old;
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Integer> used = new ArrayList<>(); // bytes used in each chunk but the last
    private byte[] chunk = new byte[0];
    private int chunkUsed; // in the last chunk
    private long appendedSize;
    // Open addressing: keys[i] is a name's bytes, hashes[i] its GNU hash, offsets[i] its offset; at most half full.
    private byte[][] keys;
    private int[] hashes;
    private long[] offsets;
    private int count;

    public DynstrTable(byte[] old) {
        this(old, 0);
    }

    /** @param expected how many names will be added, so the table is made once at its size */
    public DynstrTable(byte[] old, int expected) {
        this.old = old;
        int slots = Integer.highestOneBit(Math.max(expected + 8, 512) * 2) * 2;
        this.keys = new byte[slots][];
        this.hashes = new int[slots];
        this.offsets = new long[slots];
    }

    /** Offset of {@code s} (ISO-8859-1) in the new table, appending it the first time. */
    public long add(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return add(b, ElfHash.gnu(b));
    }

    /**
     * Same as {@link #add(String)} for a name given as bytes, with its GNU hash (which the rewrite has
     * computed for {@code .gnu.hash} anyway): names are found again by hash and bytes, never hashed twice.
     */
    public long add(byte[] name, int gnuHash) {
        int mask = keys.length - 1;
        int i = mix(gnuHash) & mask;
        for (byte[] k; (k = keys[i]) != null; i = (i + 1) & mask) {
            if (hashes[i] == gnuHash && Arrays.equals(k, name)) {
                return offsets[i];
            }
        }
        long at = old.length + appendedSize;
        if (chunkUsed + name.length + 1 > chunk.length) { // a new chunk, large enough for any name
            if (!chunks.isEmpty()) {
                used.add(chunkUsed);
            }
            chunk = new byte[Math.max(CHUNK, name.length + 1)];
            chunks.add(chunk);
            chunkUsed = 0;
        }
        System.arraycopy(name, 0, chunk, chunkUsed, name.length); // and the NUL, already there: chunks start zeroed
        chunkUsed += name.length + 1;
        appendedSize += name.length + 1;
        keys[i] = name;
        hashes[i] = gnuHash;
        offsets[i] = at;
        if (++count * 2 > keys.length) {
            grow();
        }
        return at;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldOffsets = offsets;
        keys = new byte[oldKeys.length * 2][];
        hashes = new int[oldKeys.length * 2];
        offsets = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = mix(oldHashes[j]) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                hashes[i] = oldHashes[j];
                offsets[i] = oldOffsets[j];
            }
        }
    }

    /** Spreads hashes (similar names differ in their low bits only a little) over the table. */
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

    /** The whole table as one array (for writers that build their output in memory, such as merge). */
    public byte[] toBytes() {
        byte[] out = java.util.Arrays.copyOf(old, Math.toIntExact(size()));
        int at = old.length;
        for (int c = 0; c < chunks.size(); c++) {
            int n = c < used.size() ? used.get(c) : chunkUsed;
            System.arraycopy(chunks.get(c), 0, out, at, n);
            at += n;
        }
        return out;
    }
}
