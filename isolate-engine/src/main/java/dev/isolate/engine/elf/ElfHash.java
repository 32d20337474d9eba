package dev.isolate.engine.elf;

/** The two symbol hash functions of ELF: the System V one ({@code .hash}, {@code vd_hash}) and GNU's ({@code .gnu.hash}, djb2). */
public final class ElfHash {
    private ElfHash() {}

    public static long sysv(byte[] name) {
        return sysv(name, 0, name.length);
    }

    /** The hash of the name in {@code b[from, to)}: names hashed where they lie in a string table, not copied out. */
    public static long sysv(byte[] b, int from, int to) {
        // The gABI's loop is: h = (h << 4) + c; g = h & 0xf0000000; if (g) h ^= g >> 24; h &= ~g.
        // Here in 32-bit ints: "h ^= g >> 24" is a no-op when g == 0, so the branch goes (taken at
        // random once names pass 7 bytes, it cost more than the work), and "h &= ~g" only clears bits
        // 28-31, which the next "h << 4" shifts out anyway, so it is done once, at the end.
        int h = 0;
        for (int i = from; i < to; i++) {
            h = (h << 4) + (b[i] & 0xff);
            h ^= (h >>> 24) & 0xf0;
        }
        return h & 0x0fffffffL;
    }

    /**
     * Both hashes of the name in {@code b[from, to)} in one pass over its bytes, which is most of the cost
     * for 45k names of 70 bytes: the GNU hash in the high 32 bits, the System V hash in the low ones.
     */
    public static long gnuAndSysv(byte[] b, int from, int to) {
        int g = 5381;
        int s = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            g = g * 33 + c;
            s = (s << 4) + c;
            s ^= (s >>> 24) & 0xf0; // as in sysv(): the gABI's loop, without its branch
        }
        return (long) g << 32 | (s & 0x0fffffffL);
    }

    public static int gnu(byte[] name) {
        return gnu(name, 0, name.length);
    }

    /** Like {@link #sysv(byte[], int, int)}, for {@code .gnu.hash}. */
    public static int gnu(byte[] b, int from, int to) {
        int h = 5381;
        for (int i = from; i < to; i++) {
            h = h * 33 + (b[i] & 0xff);
        }
        return h;
    }
}
