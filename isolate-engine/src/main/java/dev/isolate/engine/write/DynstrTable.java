package dev.isolate.engine.write;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The new {@code .dynstr}: the old bytes kept exactly as they are (linkers share string tails, and
 * {@code DT_NEEDED}, {@code Verneed} and unrenamed symbols keep pointing into them), then each new
 * name appended once (foo@V1 and foo@@V2 share one new string).
 */
public final class DynstrTable {
    private final byte[] old;
    private final Map<String, Long> offsets = new HashMap<>();
    private byte[] appended = new byte[4096];
    private int appendedSize;

    public DynstrTable(byte[] old) {
        this.old = old;
    }

    /** Offset of {@code s} in the new table, appending it the first time. */
    public long add(String s) {
        Long off = offsets.get(s);
        if (off != null) {
            return off;
        }
        long at = old.length + appendedSize;
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if (appendedSize + b.length + 1 > appended.length) {
            appended = Arrays.copyOf(appended, Math.max(appended.length * 2, appendedSize + b.length + 1));
        }
        System.arraycopy(b, 0, appended, appendedSize, b.length);
        appendedSize += b.length + 1; // and the NUL, already there: the array starts zeroed
        offsets.put(s, at);
        return at;
    }

    public long size() {
        return old.length + appendedSize;
    }

    /** Places the table at {@code off}: the old bytes copied from the input's {@code oldOffset}, the new names after them. */
    public void place(OutputImage out, long off, long oldOffset) {
        out.copy(off, oldOffset, old.length);
        out.put(off + old.length, Arrays.copyOf(appended, appendedSize));
    }
}
