package dev.isolate.engine.consumer;

import dev.isolate.engine.json.Json;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text written to a file one char per byte (symbol names hold the bytes of {@code .dynstr}; JSON is
 * escaped to ASCII) through one buffer: no charset encoder, no lock per char, no copy of the whole
 * text in memory. An {@link Appendable}, so {@code Json} streams into it.
 */
final class TextFile implements Json.ByteText, Closeable {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int n;
    private long flushed;
    private String marker;
    private long markedAt = -1;

    TextFile(Path path) throws IOException {
        out = Files.newOutputStream(path);
    }

    @Override
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, no charset
    public TextFile append(CharSequence s) throws IOException {
        if (!(s instanceof String str)) {
            return append(s, 0, s.length());
        }
        if (str == marker) {
            if (markedAt >= 0) {
                throw new IllegalStateException("marker appended twice");
            }
            markedAt = flushed + n;
        }
        int len = str.length();
        for (int at = 0; at < len; ) {
            if (n == buf.length) {
                flush();
            }
            int k = Math.min(len - at, buf.length - n);
            str.getBytes(at, at + k, buf, n);
            n += k;
            at += k;
        }
        return this;
    }

    /** Copying the bytes and looking at the copy is cheaper than asking the string for each char first. */
    @Override
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, no charset
    public boolean appendUnlessAny(String name, boolean[] escape) throws IOException {
        int len = name.length();
        if (len > buf.length - n) {
            flush();
            if (len > buf.length) { // longer than the buffer: char by char
                for (int i = 0; i < len; i++) {
                    if (escape[name.charAt(i) & 0xff]) {
                        return false;
                    }
                }
                append(name);
                return true;
            }
        }
        name.getBytes(0, len, buf, n);
        for (int i = n, end = n + len; i < end; i++) {
            if (escape[buf[i] & 0xff]) {
                return false;
            }
        }
        n += len;
        return true;
    }

    @Override
    public TextFile append(CharSequence s, int start, int end) throws IOException {
        for (int i = start; i < end; i++) {
            append(s.charAt(i));
        }
        return this;
    }

    @Override
    public TextFile append(char c) throws IOException {
        if (c > 0xff) {
            throw new IllegalArgumentException("not a byte: U+" + Integer.toHexString(c));
        }
        if (n == buf.length) {
            flush();
        }
        buf[n++] = (byte) c;
        return this;
    }

    /**
     * Remembers where {@code s} (this very instance, not an equal string) is appended: a value to be
     * overwritten later ({@link #markedAt}), such as a digest not known yet when the text is written.
     */
    void mark(String s) {
        marker = s;
    }

    /** The byte offset at which the {@link #mark}ed string was appended, or -1. */
    long markedAt() {
        return markedAt;
    }

    private void flush() throws IOException {
        out.write(buf, 0, n);
        flushed += n;
        n = 0;
    }

    @Override
    public void close() throws IOException {
        try (out) {
            flush();
        }
    }
}
