package dev.isolate.engine.elf;

/**
 * The one exception a malformed, truncated or unsupported input can raise. Its message names the
 * file, the structure (in spec terms, e.g. {@code Elf64_Shdr[12].sh_link}), the byte offset and
 * the offending value, so a user can look at the exact bytes with a hex dump.
 */
public final class ElfFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String structure;
    private final long offset;
    private final boolean located;

    /** A problem at byte {@code offset} (unsigned: a damaged field may hold any value, and is still where we looked). */
    public ElfFormatException(String file, String structure, long offset, String problem) {
        this(file, structure, offset, true, problem);
    }

    /** A problem of the whole file, not located at one place. */
    public ElfFormatException(String file, String structure, String problem) {
        this(file, structure, 0, false, problem);
    }

    private ElfFormatException(String file, String structure, long offset, boolean located, String problem) {
        super(OneLine.escape(file + ": " + structure + (located ? " at byte 0x" + Long.toHexString(offset) : "") + ": " + problem));
        this.file = file;
        this.structure = structure;
        this.offset = offset;
        this.located = located;
    }

    public String file() {
        return file;
    }

    public String structure() {
        return structure;
    }

    /** Byte offset in the file (unsigned); meaningful when {@link #located}. */
    public long offset() {
        return offset;
    }

    /** Whether the problem is at one place in the file, {@link #offset}. */
    public boolean located() {
        return located;
    }
}
