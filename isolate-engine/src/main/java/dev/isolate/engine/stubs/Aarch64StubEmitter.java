package dev.isolate.engine.stubs;

import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.elf.GnuPropertyNote;

/**
 * AArch64: {@code bti c; b target}. {@code bti c} is the BTI landing pad for calls (an indirect
 * {@code blr} through a function pointer lands on the stub in a BTI-enforcing process). A plain
 * {@code b} with {@code R_AARCH64_JUMP26} is what compilers emit for a tail call: when the target lives
 * in a shared library the static linker routes the branch through a PLT entry (and adds a veneer if the
 * PLT is out of the +-128 MiB range), so no GOT load is needed in the stub. The tail call leaves x30 (the
 * return address) untouched, so the stub is compatible with return-address signing as well: the note
 * claims both BTI and PAC, and {@code -z force-bti} consumers link without a warning.
 */
public final class Aarch64StubEmitter implements StubEmitter {
    public static final Aarch64StubEmitter INSTANCE = new Aarch64StubEmitter();

    private static final byte[] CODE = {
        0x5f, 0x24, 0x03, (byte) 0xd5, // bti c    (0xd503245f)
        0x00, 0x00, 0x00, 0x14,        // b 0      (0x14000000, imm26 from R_AARCH64_JUMP26)
    };
    private static final byte[] NOTE = GnuPropertyNote.featureAnd(Elf.GNU_PROPERTY_AARCH64_FEATURE_1_AND,
            Elf.GNU_PROPERTY_AARCH64_FEATURE_1_BTI | Elf.GNU_PROPERTY_AARCH64_FEATURE_1_PAC);

    private Aarch64StubEmitter() {}

    @Override
    public int eMachine() {
        return Elf.EM_AARCH64;
    }

    @Override
    public byte[] code() {
        return CODE.clone();
    }

    @Override
    public int codeAlignment() {
        return 4; // instructions; GCC aligns functions to 4 or 8 on AArch64, 4 is what the ISA needs
    }

    @Override
    public int relocationOffset() {
        return 4;
    }

    @Override
    public int relocationType() {
        return Elf.R_AARCH64_JUMP26;
    }

    @Override
    public long relocationAddend() {
        return 0; // B's offset is relative to the instruction itself
    }

    @Override
    public byte[] gnuPropertyNote() {
        return NOTE.clone();
    }
}
