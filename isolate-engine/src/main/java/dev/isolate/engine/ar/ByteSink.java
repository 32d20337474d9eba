package dev.isolate.engine.ar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** One reused little-endian buffer in front of a channel: callers {@link #ensure} room, then put. */
final class ByteSink {
    private final WritableByteChannel channel;
    private ByteBuffer buffer;
    private long flushed;

    ByteSink(WritableByteChannel channel, int capacity) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Makes room for {@code n} more bytes, flushing (and, for one huge member, growing) the buffer. */
    void ensure(long n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        flush();
        if (buffer.capacity() < n) {
            buffer = ByteBuffer.allocate(dev.isolate.engine.common.Checked.toInt(n, "archive member")).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** Bytes written so far, buffered ones included. */
    long position() {
        return flushed + buffer.position();
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            flushed += channel.write(buffer);
        }
        buffer.clear();
    }
}
