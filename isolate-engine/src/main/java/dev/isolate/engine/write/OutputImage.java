package dev.isolate.engine.write;

import dev.isolate.engine.elf.ElfBytes;
import dev.isolate.engine.common.Trace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output file, described rather than held: the input's first {@code copyLength} bytes copied
 * through unchanged, then pieces over that range (patches) and after it (the tail: the new segment and
 * the section header table). A piece is bytes computed by the rewrite, a range of the input copied to a
 * new place, the same with its entries rewritten on the way (relocations), or zeros.
 *
 * <p>Ranges of the input are copied by the kernel ({@code FileChannel.transferTo}) and rewritten ones
 * stream through one small buffer, so neither the 117 MB of libLLVM nor the 14 MB of tables that move
 * with the program header table is ever held in the heap: an edit costs what it changes.
 */
public final class OutputImage {
    /** Rewrites, in place, the entries of one chunk of a range copied from the input. */
    public interface Transform {
        /**
         * @param chunk the bytes, from position 0 to its limit, little-endian; always whole entries
         * @param at    offset of the chunk's first byte from the start of the copied range
         */
        void apply(ByteBuffer chunk, long at);
    }

    /** Chunk size for streamed pieces: whole {@code Elf64_Rela} (24) and {@code Elf64_Rel} (16) entries. */
    static final int CHUNK = 48 * 5 * 1024;

    /** {@code data} != null: bytes; else {@code src} >= 0: input bytes (through {@code transform} if set); else zeros. */
    private record Piece(long off, long len, byte[] data, long src, Transform transform) {
        long end() {
            return off + len;
        }
    }

    private final ElfBytes input;
    private final long copyLength;
    private final long tailOffset;
    private final long size;
    private final TreeMap<Long, Piece> pieces = new TreeMap<>();
    /** Copies of input ranges that pieces may lie over (the moved block, under its rewritten tables). */
    private final List<Piece> under = new ArrayList<>();

    public OutputImage(ElfBytes input, long copyLength, long tailOffset, long tailSize) {
        if (tailOffset < copyLength) {
            throw new IllegalStateException("tail overlaps the copied range");
        }
        this.input = input;
        this.copyLength = copyLength;
        this.tailOffset = tailOffset;
        this.size = tailOffset + tailSize;
    }

    public long tailOffset() {
        return tailOffset;
    }

    public long size() {
        return size;
    }

    public long copyLength() {
        return copyLength;
    }

    /** Writes {@code data} at file offset {@code off}: into the tail, or as a patch over the copied bytes. */
    public void put(long off, byte[] data) {
        put(off, data, data.length);
    }

    /** Writes the first {@code length} bytes of {@code data} at file offset {@code off}. */
    public void put(long off, byte[] data, int length) {
        add(new Piece(off, length, data, -1, null));
    }

    /** Copies the input's {@code [src, src + len)} to {@code off}. */
    public void copy(long off, long src, long len) {
        copy(off, src, len, null);
    }

    /** Copies the input's {@code [src, src + len)} to {@code off}, rewritten chunk by chunk by {@code transform}. */
    public void copy(long off, long src, long len, Transform transform) {
        input.check(src, len, "copied range");
        add(new Piece(off, len, null, src, transform));
    }

    /** Zeros over {@code [off, off + len)}, without allocating them. */
    public void zero(long off, long len) {
        add(new Piece(off, len, null, -1, null));
    }

    /** Copies the input's {@code [src, src + len)} to {@code off}, except where other pieces lie over it. */
    public void copyUnder(long off, long src, long len) {
        input.check(src, len, "copied range");
        checkPlace(off, len);
        if (len > 0) {
            under.add(new Piece(off, len, null, src, null));
        }
    }

    private void add(Piece p) {
        checkPlace(p.off(), p.len());
        if (p.len() == 0) {
            return;
        }
        Map.Entry<Long, Piece> before = pieces.floorEntry(p.off());
        Map.Entry<Long, Piece> after = pieces.ceilingEntry(p.off());
        if ((before != null && before.getValue().end() > p.off()) || (after != null && after.getKey() < p.end())) {
            throw new IllegalStateException("overlapping patches at 0x" + Long.toHexString(p.off()));
        }
        pieces.put(p.off(), p);
    }

    private void checkPlace(long off, long len) {
        if (off >= tailOffset ? off + len > size : off + len > copyLength) {
            throw new IllegalStateException("piece at 0x" + Long.toHexString(off) + " (0x" + Long.toHexString(len)
                    + " bytes) runs past " + (off >= tailOffset ? "the end of the file" : "the copied range"));
        }
    }

    /** Copies the first {@code length} bytes of {@code in} to the start of {@code out}, in the kernel. */
    public static void copyThrough(FileChannel in, FileChannel out, long length) throws IOException {
        long[] t = Trace.start();
        transfer(in, 0, length, out, 0);
        Trace.end("copy through (background)", t);
    }

    private static void transfer(FileChannel in, long src, long length, FileChannel out, long dst) throws IOException {
        long done = 0;
        while (done < length) {
            long n = in.transferTo(src + done, length - done, out.position(dst + done));
            if (n <= 0) {
                throw new IOException("input ended after " + (src + done) + " of " + (src + length) + " bytes");
            }
            done += n;
        }
    }

    /** Copies the input through, then applies the patches and writes the tail. */
    public void writeTo(FileChannel out, FileChannel in) throws IOException {
        copyThrough(in, out, copyLength);
        writeEdits(out);
    }

    /** Same as {@link #writeTo(FileChannel, FileChannel)} with the input in memory (tests, small files). */
    public void writeTo(FileChannel out, ByteBuffer in) throws IOException {
        writeFully(out, in.duplicate().position(0).limit((int) copyLength), 0);
        writeEdits(out);
    }

    /** Applies the patches and writes the tail, once the copied range is in place. */
    public void writeEdits(FileChannel out) throws IOException {
        long[] t = Trace.start();
        try (Writer w = new Writer(out)) {
            for (Piece u : under) { // the parts no piece lies over
                long at = u.off();
                Long first = pieces.floorKey(u.off());
                for (Piece p : pieces.subMap(first == null ? u.off() : first, true, u.end(), false).values()) {
                    if (p.end() <= at) {
                        continue;
                    }
                    if (p.off() > at) {
                        w.copy(at, u.src() + (at - u.off()), p.off() - at, null);
                    }
                    at = Math.max(at, p.end());
                }
                if (at < u.end()) {
                    w.copy(at, u.src() + (at - u.off()), u.end() - at, null);
                }
            }
            for (Piece p : pieces.values()) {
                if (p.data() != null) {
                    w.bytes(p.off(), p.data(), (int) p.len());
                } else if (p.src() >= 0) {
                    w.copy(p.off(), p.src(), p.len(), p.transform());
                } else {
                    w.zeros(p.off(), p.len());
                }
            }
            // Whatever nothing covers between the copied range and the end reads as zeros (alignment gaps).
            List<Piece> tail = new ArrayList<>(under);
            tail.addAll(pieces.tailMap(copyLength).values());
            tail.sort((a, b) -> Long.compare(a.off(), b.off()));
            long at = copyLength;
            for (Piece p : tail) {
                if (p.off() > at) {
                    w.zeros(at, p.off() - at);
                }
                at = Math.max(at, p.end());
            }
            if (at < size) {
                w.zeros(at, size - at);
            }
        }
        out.truncate(size);
        Trace.end("write edits and tail", t);
    }

    private static void writeFully(FileChannel out, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += out.write(b, pos);
        }
    }

    /**
     * Writes pieces: input ranges by the kernel when the input is a file, everything else through
     * buffers of at most {@link #CHUNK} bytes (the JDK would otherwise copy a large heap array into a
     * direct buffer of its whole size before writing it).
     */
    private final class Writer implements AutoCloseable {
        private final FileChannel out;
        private final FileChannel in; // null when the input is in memory
        private ByteBuffer chunk;
        private ByteBuffer zeros;

        Writer(FileChannel out) throws IOException {
            this.out = out;
            this.in = input.path() == null ? null : FileChannel.open(input.path(), StandardOpenOption.READ);
        }

        void bytes(long off, byte[] data, int length) throws IOException {
            for (int at = 0; at < length; at += CHUNK) {
                writeFully(out, ByteBuffer.wrap(data, at, Math.min(CHUNK, length - at)), off + at);
            }
        }

        void zeros(long off, long len) throws IOException {
            if (zeros == null) {
                zeros = ByteBuffer.allocateDirect(CHUNK);
            }
            for (long at = 0; at < len; at += CHUNK) {
                writeFully(out, zeros.clear().limit((int) Math.min(CHUNK, len - at)), off + at);
            }
        }

        void copy(long off, long src, long len, Transform t) throws IOException {
            if (t == null && in != null) {
                transfer(in, src, len, out, off);
                return;
            }
            if (chunk == null) {
                chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            }
            for (long at = 0; at < len; at += CHUNK) {
                int n = (int) Math.min(CHUNK, len - at);
                chunk.clear().limit(n);
                if (in != null) {
                    for (long pos = src + at; chunk.hasRemaining(); ) {
                        int r = in.read(chunk, pos);
                        if (r < 0) {
                            throw new IOException("input ended at " + pos + " while copying " + input.file());
                        }
                        pos += r;
                    }
                    chunk.flip();
                } else {
                    chunk.put(input.slice(src + at, n, "copied range")).flip();
                }
                if (t != null) {
                    t.apply(chunk, at);
                    chunk.position(0).limit(n);
                }
                writeFully(out, chunk, off + at);
            }
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
