package dev.isolate.engine.elf;

/** The two symbol hash functions of ELF: the System V one ({@code .hash}, {@code vd_hash}) and GNU's ({@code .gnu.hash}, djb2). */
public final class ElfHash {
    private ElfHash() {}

    public static long sysv(byte[] name) {
        long h = 0;
        for (byte c : name) {
            h = (h << 4) + (c & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h & 0xffffffffL;
    }

    public static int gnu(byte[] name) {
        int h = 5381;
        for (byte c : name) {
            h = h * 33 + (c & 0xff);
        }
        return h;
    }
}
