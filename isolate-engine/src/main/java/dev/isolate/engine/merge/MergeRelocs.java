package dev.isolate.engine.merge;

import dev.isolate.engine.machine.Machine;

/**
 * The dynamic relocation types merge reads and writes, by what they do, for one machine (x86-64 psABI 4.4;
 * AAELF64 "Dynamic relocations"). Both compute the same things: {@code abs64} S + A, {@code globDat} and
 * {@code jumpSlot} S, {@code relative} B + A, {@code irelative} the resolver at B + A, and the TLS ones the
 * module, the offset in its block ({@code dtpoff}) and from the thread pointer ({@code tpoff}), or a descriptor.
 */
record MergeRelocs(Machine machine, long none, long abs64, long copy, long globDat, long jumpSlot, long relative,
        long dtpmod, long dtpoff, long tpoff, long tlsdesc, long irelative) {
    static final MergeRelocs X86_64 = new MergeRelocs(Machine.X86_64, 0, 1, 5, 6, 7, 8, 16, 17, 18, 36, 37);
    static final MergeRelocs AARCH64 = new MergeRelocs(Machine.AARCH64, 0, 257, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1031, 1032);

    static MergeRelocs of(Machine m) {
        return m == Machine.AARCH64 ? AARCH64 : X86_64;
    }

    boolean isTls(long t) {
        return t == dtpmod || t == dtpoff || t == tpoff || t == tlsdesc;
    }

    String name(long t) {
        return machine.relocations().name(t);
    }
}
