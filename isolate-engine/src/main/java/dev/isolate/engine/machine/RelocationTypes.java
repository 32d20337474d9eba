package dev.isolate.engine.machine;

import java.util.Map;

/**
 * The dynamic relocation types of one machine, as its psABI numbers them. The r_info layout itself is the
 * gABI's ELF64 one on every supported machine ({@code ELF64_R_SYM} in the high 32 bits, {@code ELF64_R_TYPE}
 * in the low 32; MIPS64 packs it differently and is refused), so remapping symbol indices never needs a
 * type. Types are needed where a count or a check depends on what a relocation does: {@code DT_RELACOUNT}
 * counts the leading {@code R_*_RELATIVE} entries, and ld.so applies that many as relative without looking
 * at their type.
 *
 * @param prefix     the psABI's name prefix ({@code R_X86_64_}, {@code R_AARCH64_})
 * @param relative   {@code R_*_RELATIVE}: base + addend, no symbol
 * @param irelative  {@code R_*_IRELATIVE}: calls the IFUNC resolver at base + addend, no symbol
 * @param names      the types a shared library's dynamic relocation tables hold, for messages
 */
public record RelocationTypes(String prefix, long relative, long irelative, Map<Long, String> names) {
    /** x86-64 psABI, section 4.4. */
    static final RelocationTypes X86_64 = new RelocationTypes("R_X86_64_", 8, 37, Map.ofEntries(
            Map.entry(0L, "NONE"), Map.entry(1L, "64"), Map.entry(5L, "COPY"), Map.entry(6L, "GLOB_DAT"),
            Map.entry(7L, "JUMP_SLOT"), Map.entry(8L, "RELATIVE"), Map.entry(16L, "DTPMOD64"), Map.entry(17L, "DTPOFF64"),
            Map.entry(18L, "TPOFF64"), Map.entry(36L, "TLSDESC"), Map.entry(37L, "IRELATIVE"), Map.entry(38L, "RELATIVE64")));

    /** ELF for the Arm 64-bit Architecture (AAELF64), "Dynamic relocations". */
    static final RelocationTypes AARCH64 = new RelocationTypes("R_AARCH64_", 1027, 1032, Map.ofEntries(
            Map.entry(0L, "NONE"), Map.entry(257L, "ABS64"), Map.entry(1024L, "COPY"), Map.entry(1025L, "GLOB_DAT"),
            Map.entry(1026L, "JUMP_SLOT"), Map.entry(1027L, "RELATIVE"), Map.entry(1028L, "TLS_DTPMOD"),
            Map.entry(1029L, "TLS_DTPREL"), Map.entry(1030L, "TLS_TPREL"), Map.entry(1031L, "TLSDESC"),
            Map.entry(1032L, "IRELATIVE")));

    /** {@code R_AARCH64_JUMP_SLOT}, or the number for a type this table does not know ({@code R_AARCH64_0x11b}). */
    public String name(long type) {
        String n = names.get(type);
        return prefix + (n != null ? n : "0x" + Long.toHexString(type));
    }
}
