package dev.isolate.engine.ar;

import java.util.List;

/**
 * One member of an archive.
 *
 * @param name    the member's file name (one char per byte); longer than 15 bytes goes to the {@code //} table
 * @param size    the exact number of bytes its content writes
 * @param symbols the global symbols it defines, in the order the {@code /} index lists them
 */
public record ArMember(String name, long size, List<String> symbols) {
    public ArMember {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("bad archive member name '" + name + "'");
        }
        symbols = List.copyOf(symbols);
    }
}
