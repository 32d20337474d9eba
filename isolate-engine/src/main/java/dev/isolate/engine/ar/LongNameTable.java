package dev.isolate.engine.ar;

import java.nio.charset.StandardCharsets;

/**
 * The GNU long-name table, the member named {@code //}: every member name longer than 15 bytes (the
 * 16-byte {@code ar_name} field also holds the terminating {@code /}), each written {@code name/\n};
 * such a member's header names it {@code /<offset into this table>}. Padded with {@code \n} to an
 * even size, counted in the size, as GNU ar does.
 */
final class LongNameTable {
    static final int SHORT_NAME_MAX = 15;

    private final byte[] table;
    /** Member i's offset into the table, or -1 when its name fits the header; null when no name needs it. */
    private final int[] offsets;

    LongNameTable(Members members) {
        StringBuilder sb = new StringBuilder();
        int[] at = null;
        for (int i = 0; i < members.count(); i++) {
            String name = members.name(i);
            if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("bad archive member name '" + name + "'");
            }
            if (name.length() > SHORT_NAME_MAX) {
                if (at == null) {
                    at = new int[members.count()];
                    java.util.Arrays.fill(at, -1);
                }
                at[i] = sb.length();
                sb.append(name).append("/\n");
            }
        }
        if ((sb.length() & 1) != 0) {
            sb.append('\n');
        }
        offsets = at;
        table = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    boolean isNeeded() {
        return table.length > 0;
    }

    byte[] contents() {
        return table.clone();
    }

    long size() {
        return table.length;
    }

    /** Where member i's name is in the table ({@code ar_name} {@code /offset}), or -1: {@code ar_name} {@code name/}. */
    int offset(int i) {
        return offsets == null ? -1 : offsets[i];
    }
}
