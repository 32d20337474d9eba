package dev.isolate.engine.ar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes a GNU {@code ar} archive in one streaming pass: {@code !<arch>\n}, the {@code /} symbol index
 * (when any member defines a symbol), the {@code //} long-name table (when a name needs it), then each
 * member: a header and its bytes, padded with {@code \n} to an even offset. Every offset is planned
 * from the members' sizes before the first byte is written, so the index goes first without seeking,
 * and the member bytes go through one reused buffer: no temporary file, no copy of the archive in
 * memory, and no object per member ({@link Members} answers by index). Headers are deterministic
 * ({@link MemberHeader}).
 */
public final class ArchiveWriter {
    private static final int BUFFER = 1 << 20;

    private ArchiveWriter() {}

    /** Writes the archive to {@code out} and returns its size in bytes. */
    public static long write(WritableByteChannel out, Members members) throws IOException {
        SymbolIndex index = new SymbolIndex(members);
        LongNameTable names = new LongNameTable(members);

        long pos = MemberHeader.MAGIC.length;
        if (index.isNeeded()) {
            pos += MemberHeader.SIZE + index.size();
        }
        if (names.isNeeded()) {
            pos += MemberHeader.SIZE + names.size();
        }
        int count = members.count();
        long[] headerOffsets = new long[count];
        for (int i = 0; i < count; i++) {
            headerOffsets[i] = pos;
            long size = members.size(i);
            pos += MemberHeader.SIZE + size + (size & 1);
        }
        long total = pos;

        ByteSink sink = new ByteSink(out, BUFFER);
        sink.ensure(MemberHeader.MAGIC.length);
        sink.buffer().put(MemberHeader.MAGIC);
        if (index.isNeeded()) {
            sink.ensure(MemberHeader.SIZE);
            MemberHeader.symbolIndex(sink.buffer(), index.size());
            index.write(sink, headerOffsets);
        }
        if (names.isNeeded()) {
            sink.ensure(MemberHeader.SIZE + names.size());
            MemberHeader.longNames(sink.buffer(), names.size());
            sink.buffer().put(names.contents());
        }
        for (int i = 0; i < count; i++) {
            if (sink.position() != headerOffsets[i]) {
                throw new IllegalStateException("member " + i + " at " + sink.position() + ", planned " + headerOffsets[i]);
            }
            long size = members.size(i);
            sink.ensure(MemberHeader.SIZE + size + 1);
            ByteBuffer b = sink.buffer();
            int offset = names.offset(i);
            MemberHeader.member(b, offset < 0 ? members.name(i) : null, offset, size);
            int before = b.position();
            members.write(i, b);
            if (b.position() - before != size) {
                throw new IllegalStateException("member " + members.name(i) + ": wrote " + (b.position() - before)
                        + " bytes, declared " + size);
            }
            if ((size & 1) != 0) {
                b.put((byte) '\n');
            }
        }
        sink.flush();
        if (sink.position() != total) {
            throw new IllegalStateException("archive of " + sink.position() + " bytes, planned " + total);
        }
        return total;
    }
}
