package dev.isolate.engine.stubs;

import dev.isolate.engine.machine.Machine;

/**
 * What one architecture puts into a stub object: a few instructions that enter through the target's
 * landing pad and tail-jump to another symbol through the PLT, the one relocation that names that
 * symbol, and the GNU property note that tells the static linker the code honours the target's
 * control-flow protection (x86 IBT/SHSTK, AArch64 BTI), so {@code -z cet-report=error} or
 * {@code -z force-bti} links keep the protection on. Everything else in the object is the same on
 * every ELF64 little-endian target ({@link StubObject}).
 */
public interface StubEmitter {
    /** What goes into the stub objects ({@code libN_stubs.a}) of a library for {@code machine}. */
    static StubEmitter of(Machine machine) {
        return switch (machine) {
            case X86_64 -> X86_64StubEmitter.INSTANCE;
            case AARCH64 -> Aarch64StubEmitter.INSTANCE;
        };
    }

    /** {@code e_machine} of the objects. */
    int eMachine();

    /** The machine code of one stub; the branch displacement is left zero for the relocation. */
    byte[] code();

    /** {@code sh_addralign} of {@code .text}: where a compiler would align a function. */
    int codeAlignment();

    /** {@code r_offset} of the relocation in {@code .text}. */
    int relocationOffset();

    /** {@code ELF64_R_TYPE} of the relocation, a PLT-relative branch ({@code R_X86_64_PLT32}). */
    int relocationType();

    /** {@code r_addend} of the relocation. */
    long relocationAddend();

    /** The contents of {@code .note.gnu.property}, or an empty array for none. */
    byte[] gnuPropertyNote();
}
