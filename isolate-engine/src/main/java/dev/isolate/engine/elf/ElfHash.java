package dev.isolate.engine.elf;

/** The two symbol hash functions of ELF: the System V one ({@code .hash}, {@code vd_hash}) and GNU's ({@code .gnu.hash}, djb2). */
public final class ElfHash {
    private ElfHash() {}

    public static long sysv(byte[] name) {
        int h = 0; // the gABI's unsigned 32-bit arithmetic: ints, and >>> for the shift down
        for (byte c : name) {
            h = (h << 4) + (c & 0xff);
            int g = h & 0xf0000000;
            h ^= g >>> 24; // the gABI's "if (g)" dropped: both lines do nothing when g == 0, and the
            h &= ~g; //       branch, taken at random once names pass 7 bytes, cost more than they do
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
