package dev.isolate.engine.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
    private final ByteArrayOutputStream appended = new ByteArrayOutputStream();

    public DynstrTable(byte[] old) {
        this.old = old;
    }

    /** Offset of {@code s} in the new table, appending it the first time. */
    public long add(String s) {
        Long off = offsets.get(s);
        if (off != null) {
            return off;
        }
        long at = old.length + appended.size();
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        appended.write(b, 0, b.length);
        appended.write(0);
        offsets.put(s, at);
        return at;
    }

    public long size() {
        return old.length + appended.size();
    }

    public byte[] bytes() {
        byte[] out = new byte[(int) size()];
        System.arraycopy(old, 0, out, 0, old.length);
        byte[] a = appended.toByteArray();
        System.arraycopy(a, 0, out, old.length, a.length);
        return out;
    }
}
