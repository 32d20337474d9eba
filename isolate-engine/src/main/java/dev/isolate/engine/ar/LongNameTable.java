package dev.isolate.engine.ar;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The GNU long-name table, the member named {@code //}: every member name longer than 15 bytes (the
 * 16-byte {@code ar_name} field also holds the terminating {@code /}), each written {@code name/\n};
 * such a member's header names it {@code /<offset into this table>}. Padded with {@code \n} to an
 * even size, counted in the size, as GNU ar does.
 */
final class LongNameTable {
    static final int SHORT_NAME_MAX = 15;

    private final byte[] table;
    private final String[] arNames;

    LongNameTable(List<ArMember> members) {
        StringBuilder sb = new StringBuilder();
        arNames = new String[members.size()];
        for (int i = 0; i < members.size(); i++) {
            String name = members.get(i).name();
            if (name.length() <= SHORT_NAME_MAX) {
                arNames[i] = name + "/";
            } else {
                arNames[i] = "/" + sb.length();
                sb.append(name).append("/\n");
            }
        }
        if ((sb.length() & 1) != 0) {
            sb.append('\n');
        }
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

    /** The {@code ar_name} of member i: {@code name/} or {@code /offset}. */
    String arName(int i) {
        return arNames[i];
    }
}
