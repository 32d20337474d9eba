package dev.isolate.engine.ar;

import java.nio.ByteBuffer;

/**
 * The members of an archive, by index: asked for as the archive is planned and written, so a 45k-member
 * archive needs no object per member. Each call with the same index must give the same answer.
 */
public interface Members {
    int count();

    /** Member i's file name (one char per byte); longer than 15 bytes goes to the {@code //} table. */
    String name(int i);

    /** The exact number of bytes {@link #write} writes for member i. */
    long size(int i);

    /** How many global symbols member i defines. */
    int symbolCount(int i);

    /** Its k-th symbol (one char per byte), in the order the {@code /} index lists them. */
    String symbol(int i, int k);

    /** Writes member i's bytes at {@code out.position()}: exactly {@link #size} bytes; a little-endian heap buffer. */
    void write(int i, ByteBuffer out);
}
