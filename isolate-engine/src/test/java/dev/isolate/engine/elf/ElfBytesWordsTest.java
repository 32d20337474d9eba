package dev.isolate.engine.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link ElfBytes#words} and {@link ElfBytes#bytes}: a table's words read from the file, in chunks of any size,
 * are the words the bytes hold; the same from bytes in memory.
 */
class ElfBytesWordsTest {
    private static final Path LIB = Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3");

    private static long[] expected(byte[] file, ElfFile.Table t) {
        long[] w = new long[(int) (t.size() / 8)];
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).slice((int) t.offset(), (int) t.size())
                .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(w);
        return w;
    }

    private static long[] read(ElfBytes bytes, ElfFile.Table t, int chunk) throws IOException {
        long[] all = new long[(int) (t.size() / 8)];
        long[] part = new long[chunk];
        try (ElfBytes.Words words = bytes.words(t.offset(), t.size(), t.name())) {
            for (int at = 0; at < all.length; at += chunk) {
                int n = Math.min(chunk, all.length - at);
                words.next(part, n);
                System.arraycopy(part, 0, all, at, n);
            }
        }
        return all;
    }

    /** The library's bytes; a missing library is a missing tool ({@link Tools#unavailable}). */
    private static byte[] libBytes() throws IOException {
        if (!Files.isRegularFile(LIB)) {
            Tools.unavailable(LIB + " is missing");
        }
        return Files.readAllBytes(LIB);
    }

    @Test
    void fromTheFileAndFromMemoryInAnyChunks() throws IOException {
        byte[] file = libBytes();
        ElfFile mapped = ElfFile.read(LIB);
        ElfFile inMemory = ElfFile.read(file, LIB.toString());
        assertTrue(mapped.bytes.path() != null && inMemory.bytes.path() == null);
        ElfFile.Table t = mapped.dynRelocs.get(0);
        assertTrue(t.size() > 24 * 1000, "a relocation table of some size: " + t);
        long[] expected = expected(file, t);
        for (int chunk : new int[] {1, 3, 7, 4096, expected.length}) {
            assertArrayEquals(expected, read(mapped.bytes, t, chunk), "from the file, " + chunk + " words at a time");
            assertArrayEquals(expected, read(inMemory.bytes, t, chunk), "from memory, " + chunk + " words at a time");
        }
        assertTrue(Arrays.stream(expected).anyMatch(w -> w != 0));
    }

    /**
     * {@link ElfBytes#bytes} of a range of a megabyte or more comes from the file, not the mapping: an odd
     * offset, a range at the end and one of 3 MiB give the same bytes as the file holds.
     */
    @Test
    void largeRangesReadFromTheFile() throws IOException {
        byte[] file = libBytes();
        ElfFile mapped = ElfFile.read(LIB);
        for (int[] r : new int[][] {{12_345, (1 << 20) + 777}, {0, 3 << 20}, {file.length - (1 << 20) - 1, (1 << 20) + 1}}) {
            assertArrayEquals(Arrays.copyOfRange(file, r[0], r[0] + r[1]), mapped.bytes.bytes(r[0], r[1], "test range"),
                    r[1] + " bytes at " + r[0]);
        }
    }

    @Test
    void moreWordsThanTheRangeHoldsIsABug() throws IOException {
        ElfFile elf = ElfFile.read(LIB);
        try (ElfBytes.Words words = elf.bytes.words(0, 16, "Elf64_Ehdr")) {
            assertThrows(IllegalStateException.class, () -> words.next(new long[3], 3));
        }
    }
}
