package dev.isolate.engine.write;

import static dev.isolate.engine.elf.Elf.DT_RELA;
import static dev.isolate.engine.elf.Elf.DT_RELACOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks;
import dev.isolate.engine.Report;
import dev.isolate.engine.Target;
import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.machine.RelocationTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's read-back check ({@link Verifier#checkRelocations}) catches broken relocations, with the target's relocation types: a table left
 * pointing at the old symbol order, and a {@code DT_RELACOUNT} that no longer counts {@code R_*_RELATIVE}.
 */
class VerifierTest {
    record Run(ElfFile in, Report report, byte[] output, Machine machine) {}

    static Run isolate(Target t) throws IOException {
        return isolate(t, "libkitchen-gnu.so");
    }

    static Run isolate(Target t, String fixture) throws IOException {
        Path in = t.fixtures().resolve(fixture);
        Report r = Checks.isolate(in, Tools.freshWork("verifier/" + t + "/" + fixture), Checks.PREFIX);
        ElfFile elf = ElfFile.read(in);
        return new Run(elf, r, Files.readAllBytes(r.output()), Machine.of(elf.ehdr.e_machine()));
    }

    static List<String> check(Run run, byte[] output) {
        return Verifier.checkRelocations(run.in(), ElfFile.read(output, "output"), run.report().classification().renamed(),
                run.machine());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void theRealOutputPasses(Target t) throws IOException {
        Run run = isolate(t);
        ElfFile out = ElfFile.read(run.output(), "output");
        assertEquals(List.of(), check(run, run.output()), "relocation problems of the real output of " + t + " libkitchen-gnu.so");
        assertEquals(List.of(), Verifier.check(out, run.report().classification().renamed(), run.report().classification().kept(),
                run.report().newSoname(), run.machine().maxPageSize()), "Verifier problems of the real output of " + t);
    }

    /** The input read back as if it were the output: its relocations still name the old symbols. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void relocationsAgainstTheOldNamesAreCaught(Target t) throws IOException {
        Run run = isolate(t);
        List<String> problems = check(run, Files.readAllBytes(run.report().input()));
        String jumpSlot = run.machine().relocations().prefix() + "JUMP_SLOT against acme_kz_fast) became";
        assertTrue(problems.stream().anyMatch(p -> p.contains(jumpSlot)), "a problem with '" + jumpSlot + "' in " + problems);
    }

    /** ld.so applies the first DT_RELACOUNT entries as R_*_RELATIVE without reading their type. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aRelativeCountThatNoLongerHoldsIsCaught(Target t) throws IOException {
        Run run = isolate(t);
        ElfFile out = ElfFile.read(run.output(), "output");
        assertTrue(out.dynamic.get(DT_RELACOUNT) > 0, "DT_RELACOUNT in the output of " + t + " libkitchen-gnu.so");
        ElfFile.Table rela = out.dynRelocs.stream().filter(x -> x.addr() == out.dynamic.get(DT_RELA)).findFirst().orElseThrow();
        RelocationTypes types = run.machine().relocations();
        byte[] broken = run.output().clone();
        ByteBuffer b = ByteBuffer.wrap(broken).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(types.relative(), b.getLong((int) rela.offset() + 8), "r_info of the first DT_RELA entry (" + t + ")");
        b.putLong((int) rela.offset() + 8, types.irelative());
        List<String> problems = check(run, broken);
        String expected = "DT_RELACOUNT no longer counts leading " + types.prefix() + "RELATIVE entries";
        assertTrue(problems.contains(expected), "'" + expected + "' in " + problems);
    }

    /**
     * Of two relocations against one symbol, the second pointed at another symbol: the check remembers the
     * (input symbol, output symbol) pairs it found equal, so it must still compare a pair it has not seen.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aSecondRelocationAgainstAnAlreadyCheckedSymbolIsCheckedToo(Target t) throws IOException {
        Run run = isolate(t, "libcxx.so");
        ElfFile out = ElfFile.read(run.output(), "output");
        ByteBuffer b = ByteBuffer.wrap(run.output().clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (ElfFile.Table table : out.dynRelocs) {
            int ent = ElfFile.entSize(table);
            Map<Long, Integer> first = new HashMap<>();
            for (int k = 0; k < table.size() / ent; k++) {
                int at = (int) table.offset() + k * ent + 8;
                long info = b.getLong(at);
                long sym = Elf.rSym(info);
                if (sym == 0 || first.putIfAbsent(sym, k) == null) {
                    continue;
                }
                String name = out.name((int) sym);
                int other = 1;
                while (out.name(other).equals(name)) {
                    other++;
                }
                b.putLong(at, Elf.rInfo(other, Elf.rType(info)));
                List<String> problems = check(run, b.array());
                assertEquals(1, problems.size(), "one problem, for entry " + k + " of " + table.name() + ": " + problems);
                String p = problems.get(0);
                assertTrue(p.startsWith(table.name() + "[" + k + "] (") && p.endsWith(" against symbol " + other), p);
                return;
            }
        }
        throw new AssertionError("no two relocations against one symbol in the output of " + t + " libcxx.so");
    }
}
