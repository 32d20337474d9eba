package dev.isolate.engine.elf;

/** The two symbol hash functions of ELF: the System V one ({@code .hash}, {@code vd_hash}) and GNU's ({@code .gnu.hash}, djb2). */
public final class ElfHash {
    private ElfHash() {}

    public static long sysv(byte[] name) {
        // The gABI's loop is: h = (h << 4) + c; g = h & 0xf0000000; if (g) h ^= g >> 24; h &= ~g.
        // Here in 32-bit ints: "h ^= g >> 24" is a no-op when g == 0, so the branch goes (taken at
        // random once names pass 7 bytes, it cost more than the work), and "h &= ~g" only clears bits
        // 28-31, which the next "h << 4" shifts out anyway, so it is done once, at the end.
        int h = 0;
        for (byte c : name) {
            h = (h << 4) + (c & 0xff);
            h ^= (h >>> 24) & 0xf0;
        }
        return h & 0x0fffffffL;
    }

    public static int gnu(byte[] name) {
        int h = 5381;
        for (byte c : name) {
            h = h * 33 + (c & 0xff);
        }
        return h;
    }
}
