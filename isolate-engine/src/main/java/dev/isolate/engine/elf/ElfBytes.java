package dev.isolate.engine.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bounds-checked, absolute-offset little-endian reads over the whole input (usually a read-only
 * mapping, so only the pages really read become resident). Every accessor names the structure it
 * reads, so a short file fails with a message that says what was being read and where.
 */
public final class ElfBytes {
    private final ByteBuffer buf;
    private final String file;
    private final long size;
    private final Path path;

    public ElfBytes(ByteBuffer buffer, String file) {
        this(buffer, file, null);
    }

    /** Bytes mapped from {@code path}, which writers may open again to let the kernel copy ranges of it. */
    public ElfBytes(ByteBuffer buffer, String file, Path path) {
        this.buf = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.file = file;
        this.size = buf.capacity();
        this.path = path;
    }

    /** The file these bytes were mapped from, or null when they were given in memory. */
    public Path path() {
        return path;
    }

    public String file() {
        return file;
    }

    public long size() {
        return size;
    }

    public ElfFormatException error(String structure, long offset, String problem) {
        return new ElfFormatException(file, structure, offset, problem);
    }

    /** Fails unless {@code [off, off + len)} lies inside the file. */
    public void check(long off, long len, String structure) {
        if (off < 0 || len < 0 || off > size || len > size - off) {
            throw error(structure, off, len + " bytes needed but the file has " + Math.max(0, size - Math.max(off, 0))
                    + " left (file size " + size + ")");
        }
    }

    public int u8(long off, String structure) {
        check(off, 1, structure);
        return buf.get((int) off) & 0xff;
    }

    public int u16(long off, String structure) {
        check(off, 2, structure);
        return buf.getShort((int) off) & 0xffff;
    }

    public long u32(long off, String structure) {
        check(off, 4, structure);
        return buf.getInt((int) off) & 0xffffffffL;
    }

    /** A 64-bit field; values with the top bit set come back negative and are rejected by callers that need sizes. */
    public long u64(long off, String structure) {
        check(off, 8, structure);
        return buf.getLong((int) off);
    }

    public byte[] bytes(long off, long len, String structure) {
        check(off, len, structure);
        byte[] out = new byte[(int) len];
        if (path == null || len < READ_THRESHOLD || !read(off, out)) {
            buf.get((int) off, out);
        }
        return out;
    }

    /** From this size on, {@link #bytes} reads the file instead of the mapping: the copy is then not resident twice. */
    private static final int READ_THRESHOLD = 1 << 20;

    /** Reads {@code out.length} bytes at {@code off} from the file; false (and the mapping is used) if that fails. */
    private boolean read(long off, byte[] out) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(out);
            while (b.hasRemaining()) {
                if (ch.read(b, off + b.position()) < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The 64-bit words of {@code [off, off + len)}, handed out a chunk at a time (relocation tables: 9 MB in
     * libLLVM). Read from the file when the bytes came from one, not through the mapping, whose pages would
     * then stay resident in this process until it exits.
     */
    public Words words(long off, long len, String structure) throws IOException {
        check(off, len, structure);
        return new Words(off, len, structure);
    }

    /** See {@link #words}. */
    public final class Words implements AutoCloseable {
        private final long end;
        private final String structure;
        private long at;
        private final FileChannel ch; // null: read from the buffer
        private ByteBuffer chunk;

        private Words(long off, long len, String structure) throws IOException {
            this.structure = structure;
            this.at = off;
            this.end = off + len;
            this.ch = path == null ? null : FileChannel.open(path, StandardOpenOption.READ);
        }

        /** Copies the next {@code n} words into {@code dst[0, n)}; fewer are left than asked for is a bug. */
        public void next(long[] dst, int n) throws IOException {
            int bytes = 8 * n;
            if (bytes > end - at) {
                throw new IllegalStateException(n + " words asked for, " + (end - at) / 8 + " left");
            }
            if (ch == null) {
                buf.slice((int) at, bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dst, 0, n);
            } else {
                if (chunk == null || chunk.capacity() < bytes) {
                    chunk = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
                }
                chunk.clear().limit(bytes);
                while (chunk.hasRemaining()) {
                    if (ch.read(chunk, at + chunk.position()) < 0) {
                        throw error(structure, at + chunk.position(), "the file ended while it was read");
                    }
                }
                chunk.flip();
                chunk.asLongBuffer().get(dst, 0, n);
            }
            at += bytes;
        }

        @Override
        public void close() throws IOException {
            if (ch != null) {
                ch.close();
            }
        }
    }

    /** The NUL-terminated string at {@code off}, which must end before {@code limit}. */
    public String cstring(long off, long limit, String structure) {
        int end = cstringEnd(off, limit, structure);
        byte[] b = new byte[end - (int) off];
        buf.get((int) off, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Offset of the NUL that ends the string at {@code off}, searched below {@code limit}. */
    public int cstringEnd(long off, long limit, String structure) {
        if (off < 0 || off >= limit || limit > size) {
            throw error(structure, off, "string offset outside its table (table ends at 0x" + Long.toHexString(limit) + ")");
        }
        for (int i = (int) off; i < limit; i++) {
            if (buf.get(i) == 0) {
                return i;
            }
        }
        throw error(structure, off, "string is not NUL-terminated inside its table");
    }

    /** A read-only view of {@code [off, off + len)}, little-endian. */
    public ByteBuffer slice(long off, long len, String structure) {
        check(off, len, structure);
        return buf.slice((int) off, (int) len).order(ByteOrder.LITTLE_ENDIAN);
    }
}
