package dev.isolate.engine.elf;

import java.util.List;

/** One {@code Elf64_Verneed} (a needed file) and the versions ({@code Elf64_Vernaux}) required of it. */
public record Verneed(long offset, String file, List<Vernaux> versions) {
    public static final int SIZE = 16;
    public static final int AUX_SIZE = 16;

    public record Vernaux(long offset, long vna_hash, int vna_flags, int vna_other, String name) {}
}
