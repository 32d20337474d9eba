package dev.isolate.engine.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hash functions, rewritten for speed, against the specs' own loops and values from their C code. */
class ElfHashTest {

    /** The gABI's elf_hash, as printed in the spec (unsigned long arithmetic, the branch, the mask). */
    private static long gabiSysv(byte[] name) {
        long h = 0;
        for (byte b : name) {
            h = (h << 4) + (b & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h & 0xffffffffL;
    }

    /** dl_new_hash of glibc: h = h * 33 + c from 5381, in uint32_t. */
    private static int glibcGnu(byte[] name) {
        long h = 5381;
        for (byte b : name) {
            h = (h * 33 + (b & 0xff)) & 0xffffffffL;
        }
        return (int) h;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void valuesOfTheCReferences() {
        // Printed by the gABI's elf_hash and glibc's dl_new_hash compiled with gcc.
        assertEquals(0x00000000L, ElfHash.sysv(b("")));
        assertEquals(0x077905a6L, ElfHash.sysv(b("printf")));
        assertEquals(0x0006cf04L, ElfHash.sysv(b("exit")));
        assertEquals(0x04467f95L, ElfHash.sysv(b("_ZN4llvm17SelectionDAGBuilder5visitERKNS_11InstructionE")));
        assertEquals(0x010f681aL, ElfHash.sysv(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 'z', 'z'}));
        assertEquals(0x00001505, ElfHash.gnu(b("")));
        assertEquals(0x156b2bb8, ElfHash.gnu(b("printf")));
        assertEquals(0x7c967e3f, ElfHash.gnu(b("exit")));
        assertEquals(0xe47ce36b, ElfHash.gnu(b("_ZN4llvm17SelectionDAGBuilder5visitERKNS_11InstructionE")));
        assertEquals(0x1a92e196, ElfHash.gnu(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 'z', 'z'}));
    }

    @Test
    void sameAsTheSpecLoopsOnRandomNames() {
        Random r = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            byte[] name = new byte[r.nextInt(300)];
            r.nextBytes(name); // every byte value, high bits set included; lengths past the 7 bytes where sysv folds
            assertEquals(gabiSysv(name), ElfHash.sysv(name), () -> "sysv of " + java.util.Arrays.toString(name));
            assertEquals(glibcGnu(name), ElfHash.gnu(name), () -> "gnu of " + java.util.Arrays.toString(name));
        }
    }
}
