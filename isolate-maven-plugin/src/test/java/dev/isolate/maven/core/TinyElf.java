package dev.isolate.maven.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest ELF64 little-endian files {@link LibraryPlatform} judges: a header, one PT_LOAD over the
 * whole file, and when asked a PT_NOTE with one note and a PT_DYNAMIC with DT_NEEDED entries. Enough for
 * the OS ABI, note and C runtime rules; nothing the engine could isolate.
 */
final class TinyElf {
    int machine = 62;
    int type = 3; // ET_DYN
    int osabi = 0;
    String noteOwner;
    int noteType;
    int noteDesc;
    List<String> needed = new ArrayList<>();
    int padTo;
    int noteAlign = 4;
    boolean propertyNote;

    static TinyElf x86_64() {
        return new TinyElf();
    }

    static TinyElf aarch64() {
        TinyElf e = new TinyElf();
        e.machine = 183;
        return e;
    }

    TinyElf osabi(int v) {
        osabi = v;
        return this;
    }

    TinyElf type(int v) {
        type = v;
        return this;
    }

    TinyElf note(String owner, int type, int desc) {
        noteOwner = owner;
        noteType = type;
        noteDesc = desc;
        return this;
    }

    /** The note is a GNU property note in an 8-aligned PT_NOTE, as aarch64 BTI and x86 IBT builds carry. */
    TinyElf propertyNote() {
        propertyNote = true;
        return this;
    }

    TinyElf needs(String... names) {
        needed.addAll(List.of(names));
        return this;
    }

    /** The PT_NOTE's p_align: 8 puts the descriptor of a 4-byte name at 16 as 4 does, but pads it to 8. */
    TinyElf noteAlign(int v) {
        noteAlign = v;
        return this;
    }

    /** Zero bytes appended up to this size. */
    TinyElf padTo(int size) {
        padTo = size;
        return this;
    }

    byte[] bytes() {
        int phnum = 1 + (noteOwner != null || propertyNote ? 1 : 0) + (needed.isEmpty() ? 0 : 1);
        int at = 64 + 56 * phnum;
        // The note: namesz, descsz, type, name (padded to 4), a 4-byte descriptor.
        byte[] note = new byte[0];
        if (propertyNote) {
            // namesz 4, descsz 16, NT_GNU_PROPERTY_TYPE_0, "GNU\0", then (at 16, 8-aligned) one 4-byte property
            // (GNU_PROPERTY_AARCH64_FEATURE_1_AND = BTI) padded to 8.
            ByteBuffer n = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            n.putInt(4).putInt(16).putInt(5).put("GNU\0".getBytes(StandardCharsets.ISO_8859_1));
            n.putInt(0xc0000000).putInt(4).putInt(1);
            note = n.array();
        } else if (noteOwner != null) {
            byte[] name = (noteOwner + "\0").getBytes(StandardCharsets.ISO_8859_1);
            int nameLen = (name.length + 3) & -4;
            ByteBuffer n = ByteBuffer.allocate(12 + nameLen + 4).order(ByteOrder.LITTLE_ENDIAN);
            n.putInt(name.length).putInt(4).putInt(noteType).put(name).position(12 + nameLen);
            n.putInt(noteDesc);
            note = n.array();
        }
        int noteOff = at;
        at += note.length;
        ByteArrayOutputStream str = new ByteArrayOutputStream();
        str.write(0);
        List<Integer> offsets = new ArrayList<>();
        for (String s : needed) {
            offsets.add(str.size());
            str.writeBytes((s + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        int strOff = at;
        at += str.size();
        at = (at + 7) & -8;
        int dynOff = at;
        int dynSize = needed.isEmpty() ? 0 : 16 * (offsets.size() + 3);
        at += dynSize;
        int size = Math.max(at, padTo);

        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, (byte) osabi});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        b.putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) phnum);
        int ph = 64;
        phdr(b, ph, 1, 0, size, 0x1000); // PT_LOAD, the whole file at address 0
        if (noteOwner != null || propertyNote) {
            phdr(b, ph += 56, 4, noteOff, note.length, propertyNote ? 8 : noteAlign);
            b.put(noteOff, note);
        }
        b.put(strOff, str.toByteArray());
        if (!needed.isEmpty()) {
            phdr(b, ph + 56, 2, dynOff, dynSize, 8);
            int d = dynOff;
            for (int o : offsets) {
                b.putLong(d, 1).putLong(d + 8, o); // DT_NEEDED
                d += 16;
            }
            b.putLong(d, 5).putLong(d + 8, strOff); // DT_STRTAB
            b.putLong(d + 16, 10).putLong(d + 24, str.size()); // DT_STRSZ
        }
        return b.array();
    }

    private static void phdr(ByteBuffer b, int off, int type, long offset, long size, long align) {
        b.putInt(off, type).putInt(off + 4, 4).putLong(off + 8, offset).putLong(off + 16, offset).putLong(off + 24, offset)
                .putLong(off + 32, size).putLong(off + 40, size).putLong(off + 48, align);
    }
}
