package dev.isolate.engine.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output file as the input's first {@code copyLength} bytes, copied through unchanged, plus
 * patches over that range, plus a tail (the new segment and the section header table) written after
 * it. The copy is done by the kernel ({@code FileChannel.transferTo}), so a 117 MB library is never
 * held in the heap or mapped: an edit costs what it changes.
 */
public final class OutputImage {
    private final long copyLength;
    private final TreeMap<Long, byte[]> patches = new TreeMap<>();
    private final long tailOffset;
    private final ByteBuffer tail;

    public OutputImage(long copyLength, long tailOffset, int tailSize) {
        if (tailOffset < copyLength) {
            throw new IllegalStateException("tail overlaps the copied range");
        }
        this.copyLength = copyLength;
        this.tailOffset = tailOffset;
        this.tail = ByteBuffer.allocate(tailSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    public long tailOffset() {
        return tailOffset;
    }

    public long size() {
        return tailOffset + tail.capacity();
    }

    /** Writes {@code data} at file offset {@code off}: into the tail, or as a patch over the copied bytes. */
    public void put(long off, byte[] data) {
        if (data.length == 0) {
            return;
        }
        if (off >= tailOffset) {
            tail.put((int) (off - tailOffset), data);
            return;
        }
        if (off + data.length > copyLength) {
            throw new IllegalStateException("patch at 0x" + Long.toHexString(off) + " runs past the copied range");
        }
        Map.Entry<Long, byte[]> before = patches.floorEntry(off);
        Map.Entry<Long, byte[]> after = patches.ceilingEntry(off);
        if ((before != null && before.getKey() + before.getValue().length > off)
                || (after != null && after.getKey() < off + data.length)) {
            throw new IllegalStateException("overlapping patches at 0x" + Long.toHexString(off));
        }
        patches.put(off, data);
    }

    /** Copies the first {@code length} bytes of {@code in} to the start of {@code out}, in the kernel. */
    public static void copyThrough(FileChannel in, FileChannel out, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long n = in.transferTo(done, length - done, out.position(done));
            if (n <= 0) {
                throw new IOException("input ended after " + done + " of " + length + " bytes");
            }
            done += n;
        }
    }

    public long copyLength() {
        return copyLength;
    }

    /** Copies the input through, then applies the patches and writes the tail. */
    public void writeTo(FileChannel out, FileChannel in) throws IOException {
        copyThrough(in, out, copyLength);
        writeEdits(out);
    }

    /** Same as {@link #writeTo(FileChannel, FileChannel)} with the input in memory (tests, small files). */
    public void writeTo(FileChannel out, ByteBuffer in) throws IOException {
        ByteBuffer src = in.duplicate().position(0).limit((int) copyLength);
        long pos = 0;
        while (src.hasRemaining()) {
            pos += out.write(src, pos);
        }
        writeEdits(out);
    }

    /** Applies the patches and writes the tail, once the copied range is in place. */
    public void writeEdits(FileChannel out) throws IOException {
        writePatchesAndTail(out);
    }

    private void writePatchesAndTail(FileChannel out) throws IOException {
        for (Map.Entry<Long, byte[]> p : patches.entrySet()) {
            writeFully(out, ByteBuffer.wrap(p.getValue()), p.getKey());
        }
        // The gap between the copied range and the tail reads as zeros.
        if (tailOffset > copyLength) {
            writeFully(out, ByteBuffer.allocate((int) (tailOffset - copyLength)), copyLength);
        }
        writeFully(out, tail.duplicate().clear(), tailOffset);
        out.truncate(size());
    }

    private static void writeFully(FileChannel out, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += out.write(b, pos);
        }
    }
}
