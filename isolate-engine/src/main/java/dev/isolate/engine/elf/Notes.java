package dev.isolate.engine.elf;

import static dev.isolate.engine.elf.Elf.NOTE_HEADER_SIZE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The notes of a {@code PT_NOTE} or {@code PT_GNU_PROPERTY} segment, walked as ld.so walks them: each
 * {@code Elf64_Nhdr}, its name, then its descriptor at the next aligned offset from the note's start (glibc's
 * {@code ELF_NOTE_DESC_OFFSET}: in an 8-aligned segment, 12 + 4 for "GNU\0" is already 16, not 12 + pad(4, 8)).
 */
public final class Notes {
    private Notes() {}

    /**
     * @param name   the name's {@code n_namesz} bytes, NULs included ({@code "GNU\0"})
     * @param desc   the file offset of the descriptor
     * @param descsz its size, inside the segment
     */
    public record Note(String name, long type, long desc, long descsz) {
        /** The name without its NULs: the owner a system's toolchain wrote ({@code GNU}, {@code FreeBSD}). */
        public String owner() {
            return name.replace("\0", "");
        }
    }

    /** Every note of {@code p}; refuses one whose descriptor runs past the segment. */
    public static List<Note> of(ElfBytes b, Elf64Phdr p) {
        String structure = Elf.ptName(p.p_type());
        long align = p.p_align() == 8 ? 8 : 4;
        b.check(p.p_offset(), p.p_filesz(), structure);
        List<Note> out = new ArrayList<>();
        long off = p.p_offset();
        long end = p.p_offset() + p.p_filesz();
        while (end - off >= NOTE_HEADER_SIZE) {
            long namesz = b.u32(off, "Elf64_Nhdr.n_namesz");
            long descsz = b.u32(off + 4, "Elf64_Nhdr.n_descsz");
            long type = b.u32(off + 8, "Elf64_Nhdr.n_type");
            long descOff = off + pad(NOTE_HEADER_SIZE + namesz, align);
            if (descOff > end || descsz > end - descOff) {
                throw b.error(structure, off, "note of " + namesz + "+" + descsz + " bytes runs past the segment");
            }
            String name = namesz == 0 ? ""
                    : new String(b.bytes(off + NOTE_HEADER_SIZE, namesz, "Elf64_Nhdr name"), StandardCharsets.ISO_8859_1);
            out.add(new Note(name, type, descOff, descsz));
            off = descOff + pad(descsz, align);
        }
        return out;
    }

    private static long pad(long n, long align) {
        return (n + align - 1) & -align;
    }
}
