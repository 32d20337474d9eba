package dev.isolate.engine.stubs;

import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.elf.GnuPropertyNote;

/**
 * x86_64: {@code endbr64; jmp target@PLT}. The {@code endbr64} is the IBT landing pad (an indirect
 * call through a function pointer lands on the stub); a tail jump keeps the shadow stack balanced, so
 * the object can claim both IBT and SHSTK. {@code R_X86_64_PLT32} with addend -4: the displacement
 * is relative to the end of the 4-byte field, and the linker routes it through a PLT entry when the
 * target lives in a shared library.
 */
public final class X86_64StubEmitter implements StubEmitter {
    public static final X86_64StubEmitter INSTANCE = new X86_64StubEmitter();

    private static final byte[] CODE = {
        (byte) 0xf3, 0x0f, 0x1e, (byte) 0xfa, // endbr64
        (byte) 0xe9, 0, 0, 0, 0,              // jmp rel32
    };
    private static final byte[] NOTE = GnuPropertyNote.featureAnd(Elf.GNU_PROPERTY_X86_FEATURE_1_AND,
            Elf.GNU_PROPERTY_X86_FEATURE_1_IBT | Elf.GNU_PROPERTY_X86_FEATURE_1_SHSTK);

    private X86_64StubEmitter() {}

    @Override
    public int eMachine() {
        return Elf.EM_X86_64;
    }

    @Override
    public byte[] code() {
        return CODE.clone();
    }

    @Override
    public int codeAlignment() {
        return 16;
    }

    @Override
    public int relocationOffset() {
        return 5;
    }

    @Override
    public int relocationType() {
        return Elf.R_X86_64_PLT32;
    }

    @Override
    public long relocationAddend() {
        return -4;
    }

    @Override
    public byte[] gnuPropertyNote() {
        return NOTE.clone();
    }
}
