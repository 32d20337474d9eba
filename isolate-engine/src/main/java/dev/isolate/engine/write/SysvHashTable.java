package dev.isolate.engine.write;

import dev.isolate.engine.elf.ElfHash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code .hash}, the System V table: {@code nbucket}, {@code nchain}, buckets, then one chain entry
 * per symbol, all 4-byte words on every target we support. Symbol order does not matter to it, so it
 * is rebuilt with the input's {@code nbucket} (already sized by the linker for this symbol count).
 */
public final class SysvHashTable {
    private final int nbucket;
    private final byte[][] names; // by new index

    public SysvHashTable(int nbucket, byte[][] names) {
        this.nbucket = Math.max(nbucket, 1);
        this.names = names;
    }

    public long size() {
        return 8L + 4L * nbucket + 4L * names.length;
    }

    public byte[] bytes() {
        int[] words = new int[(int) (size() / 4)]; // nbucket, nchain, buckets, chains; put into the buffer at once
        words[0] = nbucket;
        words[1] = names.length;
        int buckets = 2;
        int chains = 2 + nbucket;
        for (int i = 1; i < names.length; i++) {
            if (names[i].length == 0) {
                continue;
            }
            int bucket = (int) (ElfHash.sysv(names[i]) % nbucket);
            words[chains + i] = words[buckets + bucket];
            words[buckets + bucket] = i;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(words);
        return b.array();
    }
}
