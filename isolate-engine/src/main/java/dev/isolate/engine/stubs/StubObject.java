package dev.isolate.engine.stubs;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.Elf64Ehdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.elf.Elf64Sym;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One stub as an ELF64 relocatable object ({@code ET_REL}): it defines {@code name} and tail-jumps to
 * {@code target} (the prefixed name) through the PLT. What a compiler would write for
 * {@code __attribute__((visibility("hidden"))) void name(void) { target(); }}, minus everything a
 * linker does not need:
 *
 * <pre>
 *   Elf64_Ehdr
 *   .text               the emitter's code, sized into the stub symbol
 *   .rela.text          one Elf64_Rela: the branch, against the undefined target
 *   .note.gnu.property  the emitter's control-flow properties (absent when it has none)
 *   .symtab             [0] null, [1] name: GLOBAL STV_HIDDEN STT_FUNC, [2] target: GLOBAL undefined
 *   .strtab             "\0" target "\0": name is target's tail when target = prefix + name
 *   .shstrtab
 *   Elf64_Shdr[]        NULL, .text, .rela.text, .note.GNU-stack, [.note.gnu.property], .symtab, .strtab, .shstrtab
 * </pre>
 *
 * The stub is {@code STV_HIDDEN} so that a shared library linked through it does not re-export the
 * original name (which would let the system copy's callers bind to it, or the other way round).
 * {@code .note.GNU-stack} (empty, not executable) keeps consumers from getting an executable stack.
 *
 * <p>Only the string table differs between two stubs, so everything before it and the section header
 * table are built once as templates; a stub is the templates with four fields patched ({@code e_shoff},
 * the stub's {@code st_name}, {@code .strtab}'s {@code sh_size}, {@code .shstrtab}'s {@code sh_offset}).
 * Names hold one char per byte, as read from {@code .dynstr}.
 */
public final class StubObject {
    private static final String SHSTRTAB = "\0.rela.text\0.note.GNU-stack\0.note.gnu.property\0.symtab\0.strtab\0.shstrtab\0";
    private static final byte[] SHSTRTAB_BYTES = SHSTRTAB.getBytes(StandardCharsets.ISO_8859_1);
    private static final int SYMTAB_ENTRIES = 3; // null, the stub, the target
    private static final int STUB_SYMBOL = 1;
    private static final int TARGET_SYMBOL = 2;
    private static final int E_SHOFF = 40;
    private static final int ST_NAME = 0;
    private static final int SH_OFFSET = 24;
    private static final int SH_SIZE = 32;

    private final int codeSize;
    private final int shnum;
    /** Offsets of the fixed parts; the string table starts at {@code strtab}. */
    private final int symtab;
    private final int strtab;
    private final int strtabIndex;
    /** Bytes [0, strtab): header, code, relocation, note, symbol table. */
    private final byte[] head;
    /** The section header table, with {@code .strtab}'s size and {@code .shstrtab}'s offset left zero. */
    private final byte[] sectionHeaders;

    public StubObject(StubEmitter emitter) {
        byte[] code = emitter.code();
        byte[] note = emitter.gnuPropertyNote();
        codeSize = code.length;
        shnum = note.length > 0 ? 8 : 7;
        int symtabIndex = shnum - 3;
        strtabIndex = shnum - 2;
        int text = align(EHDR_SIZE, emitter.codeAlignment());
        int rela = align(text + code.length, 8);
        int noteOff = rela + RELA_SIZE; // 8-aligned
        symtab = align(noteOff + note.length, 8);
        strtab = symtab + SYMTAB_ENTRIES * SYM_SIZE;

        ByteBuffer h = ByteBuffer.allocate(strtab).order(ByteOrder.LITTLE_ENDIAN);
        byte[] ident = new byte[EI_NIDENT];
        ident[0] = 0x7f;
        ident[1] = 'E';
        ident[2] = 'L';
        ident[3] = 'F';
        ident[EI_CLASS] = ELFCLASS64;
        ident[EI_DATA] = ELFDATA2LSB;
        ident[EI_VERSION] = EV_CURRENT;
        ident[7] = ELFOSABI_NONE;
        // e_shoff is patched per stub
        new Elf64Ehdr(ident, ET_REL, emitter.eMachine(), EV_CURRENT, 0, 0, 0, 0, EHDR_SIZE, 0, 0, SHDR_SIZE, shnum, shnum - 1)
                .write(h, 0);
        h.put(text, code);
        // Elf64_Rela: r_offset, r_info (the target symbol, the emitter's type), r_addend
        h.putLong(rela, emitter.relocationOffset());
        h.putLong(rela + 8, rInfo(TARGET_SYMBOL, emitter.relocationType()));
        h.putLong(rela + 16, emitter.relocationAddend());
        h.put(noteOff, note);
        // the stub's st_name is patched per stub; the target's name starts the string table
        new Elf64Sym(0, stInfo(STB_GLOBAL, STT_FUNC), STV_HIDDEN, 1, 0, code.length).write(h, symtab + STUB_SYMBOL * SYM_SIZE);
        new Elf64Sym(1, stInfo(STB_GLOBAL, STT_NOTYPE), STV_DEFAULT, SHN_UNDEF, 0, 0).write(h, symtab + TARGET_SYMBOL * SYM_SIZE);
        head = h.array();

        ByteBuffer s = ByteBuffer.allocate(shnum * SHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int i = 1;
        header(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text, code.length, 0, 0, emitter.codeAlignment(), 0)
                .write(s, i++ * SHDR_SIZE);
        header(".rela.text", SHT_RELA, SHF_INFO_LINK, rela, RELA_SIZE, symtabIndex, 1, 8, RELA_SIZE).write(s, i++ * SHDR_SIZE);
        // Empty and without SHF_EXECINSTR: the stack of whatever links this stays non-executable.
        header(".note.GNU-stack", SHT_PROGBITS, 0, text + code.length, 0, 0, 0, 1, 0).write(s, i++ * SHDR_SIZE);
        if (note.length > 0) {
            header(".note.gnu.property", SHT_NOTE, SHF_ALLOC, noteOff, note.length, 0, 0, 8, 0).write(s, i++ * SHDR_SIZE);
        }
        // sh_info of .symtab: one past the last local symbol (only the null symbol is local)
        header(".symtab", SHT_SYMTAB, 0, symtab, SYMTAB_ENTRIES * SYM_SIZE, strtabIndex, 1, 8, SYM_SIZE).write(s, i++ * SHDR_SIZE);
        header(".strtab", SHT_STRTAB, 0, strtab, 0, 0, 0, 1, 0).write(s, i++ * SHDR_SIZE);
        header(".shstrtab", SHT_STRTAB, 0, 0, SHSTRTAB_BYTES.length, 0, 0, 1, 0).write(s, i++ * SHDR_SIZE);
        if (i != shnum) {
            throw new IllegalStateException("wrote " + i + " section headers, planned " + shnum);
        }
        sectionHeaders = s.array();
    }

    /** The size in bytes of the object for these names. */
    public int size(String name, String target) {
        return shoff(strtabSize(name, target, target.endsWith(name))) + sectionHeaders.length;
    }

    /**
     * Writes the object at {@code out.position()} and advances past it: exactly {@link #size} bytes.
     * {@code out} must be little-endian.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, no charset
    public void write(ByteBuffer out, String name, String target) {
        if (out.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("ELF64 little-endian needs a little-endian buffer");
        }
        if (name.isEmpty() || target.isEmpty() || name.equals(target)) {
            throw new IllegalArgumentException("a stub needs a name and a different target");
        }
        boolean shared = target.endsWith(name);
        int strtabSize = strtabSize(name, target, shared);
        int shstr = strtab + strtabSize;
        int shoff = shoff(strtabSize);
        int base = out.position();
        int size = shoff + sectionHeaders.length;
        if (out.limit() - base < size) {
            throw new java.nio.BufferOverflowException();
        }
        out.put(base, head);
        out.putLong(base + E_SHOFF, shoff);
        out.putInt(base + symtab + STUB_SYMBOL * SYM_SIZE + ST_NAME,
                shared ? 1 + target.length() - name.length() : 1 + target.length() + 1);

        // .strtab, .shstrtab, zero padding to the headers: straight into the buffer (it is reused, so
        // every byte is written, NULs included)
        byte[] a = out.hasArray() ? out.array() : new byte[shoff - strtab];
        int p = out.hasArray() ? out.arrayOffset() + base + strtab : 0;
        a[p] = 0;
        target.getBytes(0, target.length(), a, p + 1);
        a[p + 1 + target.length()] = 0;
        if (!shared) {
            name.getBytes(0, name.length(), a, p + 1 + target.length() + 1);
            a[p + strtabSize - 1] = 0;
        }
        System.arraycopy(SHSTRTAB_BYTES, 0, a, p + strtabSize, SHSTRTAB_BYTES.length);
        java.util.Arrays.fill(a, p + strtabSize + SHSTRTAB_BYTES.length, p + shoff - strtab, (byte) 0);
        if (!out.hasArray()) {
            out.put(base + strtab, a);
        }

        out.put(base + shoff, sectionHeaders);
        out.putLong(base + shoff + strtabIndex * SHDR_SIZE + SH_SIZE, strtabSize);
        out.putLong(base + shoff + (strtabIndex + 1) * SHDR_SIZE + SH_OFFSET, shstr);
        out.position(base + size);
    }

    /** {@code shared}: {@code name} is the tail of {@code target}, the common case (the prefixed name). */
    private static int strtabSize(String name, String target, boolean shared) {
        return 1 + target.length() + 1 + (shared ? 0 : name.length() + 1);
    }

    private int shoff(int strtabSize) {
        return align(strtab + strtabSize + SHSTRTAB_BYTES.length, 8);
    }

    private Elf64Shdr header(String name, int type, long flags, long offset, long size, long link, long info, long align,
            long entsize) {
        return new Elf64Shdr(name, nameOffset(name), type, flags, 0, offset, size, link, info, align, entsize);
    }

    /** Offset of {@code name} in {@code .shstrtab}; {@code .text} is the tail of {@code .rela.text}. */
    private static int nameOffset(String name) {
        int at = SHSTRTAB.indexOf(name + "\0");
        if (at < 0) {
            throw new IllegalStateException(name + " not in .shstrtab");
        }
        return at;
    }

    private static int align(long v, int a) {
        return dev.isolate.engine.common.Checked.toInt((v + a - 1) / a * a, "stub object offset");
    }
}
