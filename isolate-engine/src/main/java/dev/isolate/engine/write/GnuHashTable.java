package dev.isolate.engine.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code .gnu.hash}: a bloom filter, then buckets, then one chain word per hashed symbol. The symbols
 * from {@code symoffset} on must be grouped by bucket in {@code .dynsym}, in bucket order, because a
 * bucket holds only the index of its first symbol and the chain runs until a word with bit 0 set.
 * Renaming changes every hash, so the hashed part of {@code .dynsym} is reordered (stably) to match.
 *
 * <p>Sizing follows lld and mold: one bucket per four symbols, and a bloom filter of 12 bits per
 * symbol rounded up to a power of two of 64-bit words; shift2 = 26 as both use for ELF64.
 */
public final class GnuHashTable {
    static final int SHIFT2 = 26;

    private final int symoffset;
    private final int nbuckets;
    private final int bloomWords;
    private final int[] hashes; // of the hashed symbols, in new order

    /**
     * Computes the new order of the hashed symbols.
     *
     * @param hashes GNU hashes of the new names of all symbols, by old index
     * @return {@code order} such that new index {@code symoffset + k} holds old index {@code order[k]}
     */
    public static int[] order(int[] hashes, int symoffset) {
        return byBucket(hashes, symoffset, buckets(hashes.length - symoffset));
    }

    /**
     * The indexes {@code from} to {@code hashes.length - 1}, ordered by the bucket of their GNU hash among
     * {@code nbuckets}, ties in index order: a counting sort, linear in the number of names (sorting 45k
     * keys took several milliseconds).
     */
    static int[] byBucket(int[] hashes, int from, int nbuckets) {
        int n = hashes.length - from;
        int[] bucketOf = new int[n];
        int[] next = new int[nbuckets + 1]; // first the counts, then where each bucket's next index goes
        for (int k = 0; k < n; k++) {
            int b = (int) (Integer.toUnsignedLong(hashes[from + k]) % nbuckets);
            bucketOf[k] = b;
            next[b + 1]++;
        }
        for (int b = 0; b < nbuckets; b++) {
            next[b + 1] += next[b];
        }
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[next[bucketOf[k]]++] = from + k;
        }
        return order;
    }

    static int buckets(int n) {
        return Math.max(n / 4, 1);
    }

    /** @param hashes GNU hashes of the symbols from {@code symoffset} on, in their new order */
    public GnuHashTable(int symoffset, int[] hashes) {
        this.symoffset = symoffset;
        this.nbuckets = buckets(hashes.length);
        long bits = Math.max(64, (long) hashes.length * 12);
        this.bloomWords = (int) (Long.highestOneBit(bits - 1) << 1) / 64;
        this.hashes = hashes;
    }

    public long size() {
        return 16L + 8L * bloomWords + 4L * nbuckets + 4L * hashes.length;
    }

    public byte[] bytes() {
        // Built in arrays, put into the buffer at once (cheaper than a ByteBuffer call per word).
        long[] bloom = new long[bloomWords];
        int[] buckets = new int[nbuckets];
        int[] chains = new int[hashes.length];
        int prevBucket = -1;
        for (int k = 0; k < hashes.length; k++) {
            long h = Integer.toUnsignedLong(hashes[k]);
            int word = (int) ((h / 64) % bloomWords);
            long mask = (1L << (h % 64)) | (1L << ((h >>> SHIFT2) % 64));
            bloom[word] |= mask;
            int bucket = (int) (h % nbuckets);
            if (bucket != prevBucket) {
                if (bucket < prevBucket) {
                    throw new IllegalStateException(".gnu.hash symbols are not grouped by bucket");
                }
                buckets[bucket] = symoffset + k;
                if (k > 0) { // close the previous chain
                    chains[k - 1] |= 1;
                }
                prevBucket = bucket;
            }
            chains[k] = (int) (h & ~1L);
        }
        if (hashes.length > 0) {
            chains[hashes.length - 1] |= 1;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, nbuckets);
        b.putInt(4, symoffset);
        b.putInt(8, bloomWords);
        b.putInt(12, SHIFT2);
        b.position(16).asLongBuffer().put(bloom);
        b.position(16 + 8 * bloomWords).asIntBuffer().put(buckets).put(chains);
        return b.array();
    }
}
