package dev.isolate.engine.common;

/** Narrowing on write, checked: a value that does not fit its field is a bug, never silent truncation. */
public final class Checked {
    private Checked() {}

    public static int u16(long v, String field) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalStateException(field + " = " + v + " does not fit in 16 bits");
        }
        return (int) v;
    }

    public static int u32(long v, String field) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalStateException(field + " = " + v + " does not fit in 32 bits");
        }
        return (int) v;
    }

    public static int toInt(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(what + " = " + v + " is too large for one buffer");
        }
        return (int) v;
    }
}
