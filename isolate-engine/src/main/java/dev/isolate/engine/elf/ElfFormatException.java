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

    public ElfFormatException(String file, String structure, long offset, String problem) {
        super(OneLine.escape(file + ": " + structure + (offset >= 0 ? " at byte 0x" + Long.toHexString(offset) : "") + ": " + problem));
        this.file = file;
        this.structure = structure;
        this.offset = offset;
    }

    public String file() {
        return file;
    }

    public String structure() {
        return structure;
    }

    /** Byte offset in the file, or -1 when the problem is not located at one place. */
    public long offset() {
        return offset;
    }
}
