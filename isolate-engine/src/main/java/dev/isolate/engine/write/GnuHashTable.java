package dev.isolate.engine.write;

import dev.isolate.engine.elf.ElfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code .gnu.hash}: a bloom filter, then buckets, then one chain word per hashed symbol. The symbols
 * from {@code symoffset} on must be grouped by bucket in {@code .dynsym}, in bucket order, because a
 * bucket holds only the index of its first symbol and the chain runs until a word with bit 0 set.
 * Renaming changes every hash, so the hashed part of {@code .dynsym} is reordered (stably) to match.
 *
 * <p>Sizing: the input's. Renaming changes no symbol count, so the geometry the linker chose for this
 * many names (nbuckets, bloom_size, shift2) fits the output as well as it fitted the input, and a lookup
 * walks chains as long as before: {@code dlsym} of a renamed name costs what the old name cost. Linkers
 * differ here: GNU ld takes nbuckets from a table of primes (32,771 for libLLVM's 45.8k names, about 1.4
 * a bucket), a bloom filter of about 2^(log2(n) + 2 or 3) bits and shift2 = that log2; lld and mold take
 * one bucket per four symbols, 12 bloom bits per symbol rounded up to a power of two of 64-bit words, and
 * shift2 = 26. A GNU ld library rebuilt the lld way had chains about three times as long: dlsym of every
 * renamed libLLVM name measured 4-10% slower than the input's (bench/dlsym.sh). Where the input's
 * geometry is one ld.so cannot use (no buckets, a bloom size that is no power of two, shift2 of 32 or
 * more) or there is no input table, lld's sizing is used.
 */
public final class GnuHashTable {
    static final int SHIFT2 = 26;

    /** The sizes of the table's parts: {@code nbuckets}, {@code bloom_size} (64-bit words) and {@code bloom_shift}. */
    public record Geometry(int nbuckets, int bloomWords, int shift2) {
        /** lld's and mold's sizing for {@code n} hashed symbols. */
        public static Geometry lld(int n) {
            long bits = Math.max(64, (long) n * 12);
            return new Geometry(buckets(n), (int) (Long.highestOneBit(bits - 1) << 1) / 64, SHIFT2);
        }

        /** The input's geometry where ld.so can use it, else lld's for {@code n} hashed symbols. */
        public static Geometry of(ElfFile elf, int n) {
            if (elf.gnuHash == null) {
                return lld(n);
            }
            long off = elf.gnuHash.offset();
            long nbuckets = elf.bytes.u32(off, "DT_GNU_HASH.nbuckets");
            long bloom = elf.bytes.u32(off + 8, "DT_GNU_HASH.bloom_size");
            long shift2 = elf.bytes.u32(off + 12, "DT_GNU_HASH.bloom_shift");
            // ld.so masks the bloom index with bloom_size - 1 and shifts a 32-bit hash by shift2
            boolean usable = nbuckets > 0 && nbuckets <= Integer.MAX_VALUE && bloom > 0 && bloom <= (1 << 24)
                    && Long.bitCount(bloom) == 1 && shift2 < 32;
            return usable ? new Geometry((int) nbuckets, (int) bloom, (int) shift2) : lld(n);
        }
    }

    private final int symoffset;
    private final int nbuckets;
    private final int bloomWords;
    private final int shift2;
    private final int[] hashes; // of the hashed symbols, in new order

    /**
     * Computes the new order of the hashed symbols.
     *
     * @param hashes GNU hashes of the new names of all symbols, by old index
     * @return {@code order} such that new index {@code symoffset + k} holds old index {@code order[k]}
     */
    public static int[] order(int[] hashes, int symoffset, Geometry g) {
        return byBucket(hashes, symoffset, g.nbuckets());
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

    /** @param hashes GNU hashes of the symbols from {@code symoffset} on, in their new order ({@link #order}) */
    public GnuHashTable(int symoffset, int[] hashes, Geometry g) {
        this.symoffset = symoffset;
        this.nbuckets = g.nbuckets();
        this.bloomWords = g.bloomWords();
        this.shift2 = g.shift2();
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
            int word = (int) ((h / 64) & (bloomWords - 1));
            long mask = (1L << (h % 64)) | (1L << ((h >>> shift2) % 64));
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
        b.putInt(12, shift2);
        b.position(16).asLongBuffer().put(bloom);
        b.position(16 + 8 * bloomWords).asIntBuffer().put(buckets).put(chains);
        return b.array();
    }
}
