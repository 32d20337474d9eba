package dev.isolate.engine.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code .hash}, the System V table: {@code nbucket}, {@code nchain}, buckets, then one chain entry
 * per symbol, all 4-byte words on every target we support. Symbol order does not matter to it, so it
 * is rebuilt with the input's {@code nbucket} (already sized by the linker for this symbol count).
 */
public final class SysvHashTable {
    /** The hash given for a symbol without a name: such symbols are not entered (no hash is negative). */
    public static final int UNNAMED = -1;

    private final int nbucket;
    private final int[] hashes; // ElfHash.sysv of each name, by new index

    public SysvHashTable(int nbucket, int[] hashes) {
        this.nbucket = Math.max(nbucket, 1);
        this.hashes = hashes;
    }

    public long size() {
        return 8L + 4L * nbucket + 4L * hashes.length;
    }

    public byte[] bytes() {
        int[] words = new int[(int) (size() / 4)]; // nbucket, nchain, buckets, chains; put into the buffer at once
        words[0] = nbucket;
        words[1] = hashes.length;
        int buckets = 2;
        int chains = 2 + nbucket;
        for (int i = 1; i < hashes.length; i++) {
            if (hashes[i] == UNNAMED) {
                continue;
            }
            int bucket = (int) (Integer.toUnsignedLong(hashes[i]) % nbucket);
            words[chains + i] = words[buckets + bucket];
            words[buckets + bucket] = i;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(words);
        return b.array();
    }
}
