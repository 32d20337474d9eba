package dev.isolate.engine.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.isolate.engine.elf.Elf;
import org.junit.jupiter.api.Test;

/** The reader's list of machines (in elf) and the targets (here) are the same list. */
class MachineTest {
    @Test
    void everyMachineTheReaderAcceptsHasATargetAndNoOther() {
        int accepted = 0;
        for (int m = 0; m <= 0xffff; m++) {
            assertEquals(Elf.isSupportedMachine(m), Machine.isSupported(m), "e_machine " + m);
            if (Elf.isSupportedMachine(m)) {
                accepted++;
                assertEquals(m, Machine.of(m).eMachine());
                assertNotNull(Machine.of(m).elfName(), "e_machine " + m);
            }
        }
        assertEquals(Machine.values().length, accepted);
        assertEquals("x86_64 (62), aarch64 (183)", Elf.supportedMachines(), "as a refusal lists them");
        assertEquals("aarch64", Machine.AARCH64.elfName());
    }
}
