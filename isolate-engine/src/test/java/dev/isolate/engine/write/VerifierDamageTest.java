package dev.isolate.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks;
import dev.isolate.engine.Report;
import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.DynamicTable;
import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check every output passes before it is moved into place: real outputs pass it, and each kind of
 * damage a rewrite bug could do to them (a hash chain, a bucket, a name, a version, the SONAME, a
 * segment) is reported, never thrown. The damage is done to the bytes of real isolated fixtures.
 */
class VerifierDamageTest {

    @BeforeAll
    static void tools() {
        Tools.require("gcc");
        Tools.fixtures();
    }

    /** An isolated fixture: its report, and the output's bytes to damage. */
    private record Case(Report report, byte[] bytes) {
        ElfFile elf() {
            return ElfFile.read(bytes.clone(), "output");
        }

        List<String> check(byte[] damaged) {
            ElfFile out = ElfFile.read(damaged, "damaged output");
            return Verifier.check(out, report.classification().renamed(), report.classification().kept(), report.newSoname(),
                    Machine.of(out.ehdr.e_machine()).maxPageSize());
        }

        /** A renamed export (one with a version, when {@code versioned}) and its index in the output's .dynsym. */
        int indexOf(Export e) {
            ElfFile out = elf();
            for (int i = 1; i < out.syms.length; i++) {
                if (out.name(i).equals(e.newName()) && out.isHiddenVersion(i) == !e.defaultVersion()) {
                    return i;
                }
            }
            throw new AssertionError(e.newName() + " is not in the output");
        }

        Export renamed(boolean versioned) {
            return report.classification().renamed().stream().filter(e -> (e.version() != null) == versioned).findFirst()
                    .orElseThrow(() -> new AssertionError("no renamed export" + (versioned ? " with a version" : "")));
        }
    }

    private static Case isolate(String fixture) throws IOException {
        Path dir = Tools.freshWork("verifier/" + fixture);
        Report r = Checks.isolate(Tools.fixtures().resolve(fixture), dir, Checks.PREFIX);
        return new Case(r, Files.readAllBytes(r.output()));
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sets every bucket of the output's .hash to {@code value}. */
    private static void fillSysvBuckets(byte[] b, ElfFile out, int value) {
        ByteBuffer h = le(b);
        int base = (int) out.sysvHash.offset();
        for (int k = 0; k < h.getInt(base); k++) {
            h.putInt(base + 8 + 4 * k, value);
        }
    }

    private static void assertReported(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.equals(expected) || p.startsWith(expected)),
                "the verifier reports '" + expected + "'; it reported " + problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"libkitchen-gnu.so", "libkitchen-sysv.so", "libkitchen-both.so", "libkitchen-lld.so", "libver.so",
        "libcxx.so"})
    void realOutputsPass(String fixture) throws IOException {
        Case c = isolate(fixture);
        assertEquals(List.of(), c.check(c.bytes().clone()));
    }

    @Test
    void aWrongChainHashInGnuHash() throws IOException {
        Case c = isolate("libkitchen-both.so");
        Export e = c.renamed(false);
        int i = c.indexOf(e);
        ElfFile out = c.elf();
        byte[] b = c.bytes().clone();
        ByteBuffer g = le(b);
        long base = out.gnuHash.offset();
        int nbuckets = g.getInt((int) base);
        int symoffset = g.getInt((int) base + 4);
        int bloomWords = g.getInt((int) base + 8);
        int chain = (int) (base + 16 + 8L * bloomWords + 4L * nbuckets + 4L * (i - symoffset));
        g.putInt(chain, g.getInt(chain) ^ 0x100); // another hash, same end-of-chain bit
        List<String> problems = c.check(b);
        assertReported(problems, e.newName() + " not found through .gnu.hash");
        assertTrue(problems.stream().noneMatch(p -> p.contains("through .hash")), "only .gnu.hash is damaged: " + problems);
    }

    @Test
    void emptySysvHashBuckets() throws IOException {
        Case c = isolate("libkitchen-both.so");
        byte[] b = c.bytes().clone();
        fillSysvBuckets(b, c.elf(), 0);
        List<String> problems = c.check(b);
        Export first = c.report().classification().renamed().get(0);
        assertReported(problems, first.newName() + " not found through .hash");
        assertTrue(problems.stream().noneMatch(p -> p.contains(".gnu.hash")), "only .hash is damaged: " + problems);
    }

    @Test
    void bucketsOutsideTheSymbolsAreReportedNotThrown() throws IOException {
        Case c = isolate("libkitchen-both.so");
        ElfFile out = c.elf();
        byte[] b = c.bytes().clone();
        ByteBuffer g = le(b);
        int gnu = (int) out.gnuHash.offset();
        int nbuckets = g.getInt(gnu);
        int symoffset = g.getInt(gnu + 4);
        int buckets = gnu + 16 + 8 * g.getInt(gnu + 8);
        int last = 0;
        for (int k = 0; k < nbuckets; k++) {
            last = Math.max(last, g.getInt(buckets + 4 * k));
        }
        // A name whose bucket is not the last one (the reader sizes .dynsym from that one), sent below
        // symoffset, where there is no chain.
        assertTrue(symoffset > 1, "symoffset " + symoffset + " leaves room for a bucket below it");
        Export e = null;
        long h = 0;
        for (Export x : c.report().classification().renamed()) {
            h = Integer.toUnsignedLong(ElfHash.gnu(x.newName().getBytes(StandardCharsets.ISO_8859_1)));
            if (g.getInt(buckets + (int) (4 * (h % nbuckets))) != last) {
                e = x;
                break;
            }
        }
        assertTrue(e != null, "a renamed export outside the last bucket");
        g.putInt(buckets + (int) (4 * (h % nbuckets)), 1);
        fillSysvBuckets(b, out, Integer.MAX_VALUE); // past the last symbol
        List<String> problems = c.check(b);
        assertReported(problems, e.newName() + " not found through .gnu.hash");
        assertReported(problems, c.report().classification().renamed().get(0).newName() + " not found through .hash");
    }

    /** The output's bytes with renamed export {@code e} named by its original name again. */
    private static byte[] withOriginalName(Case c, Export e) throws IOException {
        // The old .dynstr is kept at the start of the new one: the original name is still there, at its old offset.
        ElfFile in = ElfFile.read(Files.readAllBytes(c.report().input()), "input");
        byte[] b = c.bytes().clone();
        le(b).putInt((int) (c.elf().dynsym.offset() + 24L * c.indexOf(e)), (int) in.syms[e.index()].st_name());
        return b;
    }

    @Test
    void anOriginalNameBackInDynsym() throws IOException {
        Case c = isolate("libkitchen-both.so");
        Export e = c.renamed(false);
        int i = c.indexOf(e);
        List<String> problems = c.check(withOriginalName(c, e));
        assertReported(problems, "original name " + e.name() + " is still exported (.dynsym[" + i + "])");
        assertReported(problems, e.newName() + " not found through .gnu.hash");
    }

    @Test
    void aRenamedSymbolThatLostItsVersion() throws IOException {
        Case c = isolate("libver.so");
        Export e = c.renamed(true);
        int i = c.indexOf(e);
        ElfFile out = c.elf();
        byte[] b = c.bytes().clone();
        int at = (int) (out.versym.offset() + 2L * i);
        le(b).putShort(at, (short) (le(b).getShort(at) ^ Elf.VERSYM_HIDDEN)); // foo@@V becomes foo@V, or back
        assertReported(c.check(b), e.newName() + (e.defaultVersion() ? "@@" : "@") + e.version() + " not found through .gnu.hash");
    }

    @Test
    void theOldSoname() throws IOException {
        Case c = isolate("libkitchen-gnu.so");
        ElfFile out = c.elf();
        ElfFile in = ElfFile.read(Files.readAllBytes(c.report().input()), "input");
        List<DynamicTable.Elf64Dyn> entries = out.dynamic.entries();
        byte[] b = c.bytes().clone();
        for (int k = 0; k < entries.size(); k++) {
            if (entries.get(k).d_tag() == Elf.DT_SONAME) {
                le(b).putLong((int) (out.dynamic.offset() + 16L * k + 8), in.dynamic.get(Elf.DT_SONAME));
            }
        }
        assertReported(c.check(b), "DT_SONAME is " + in.soname + ", expected " + c.report().newSoname());
    }

    @Test
    void aSectionOffItsSegment() throws IOException {
        Case c = isolate("libkitchen-gnu.so");
        ElfFile out = c.elf();
        int text = -1;
        for (int k = 1; k < out.shdrs.size(); k++) {
            if (out.shdrs.get(k).name().equals(".text")) {
                text = k;
            }
        }
        assertTrue(text > 0, ".text in the output");
        byte[] b = c.bytes().clone();
        int addr = (int) (out.ehdr.e_shoff() + 64L * text + 16);
        le(b).putLong(addr, le(b).getLong(addr) + 0x10); // sh_addr no longer where its segment maps sh_offset
        assertReported(c.check(b), "section .text (index " + text + ") is not inside a PT_LOAD");
    }

    /**
     * {@link Verifier#checkAll}, which runs the checks on two threads, lists what {@link Verifier#check},
     * {@link Verifier#checkRelocations} and {@link Verifier#checkLinks} list one after the other, in order:
     * here, for an output with an original name back in .dynsym and a relocation against another symbol.
     */
    @Test
    void checkAllListsWhatTheChecksListOneAfterAnother() throws IOException {
        Case c = isolate("libkitchen-both.so");
        Export e = c.renamed(false);
        byte[] b = withOriginalName(c, e);
        ElfFile in = ElfFile.read(c.report().input());
        ElfFile.Table rela = c.elf().dynRelocs.get(0);
        int entry = -1;
        for (int k = 0; k < rela.size() / ElfFile.entSize(rela) && entry < 0; k++) {
            if (Elf.rSym(le(b).getLong((int) (rela.offset() + (long) k * ElfFile.entSize(rela) + 8))) != 0) {
                entry = k;
            }
        }
        assertTrue(entry >= 0, "a relocation against a symbol in " + rela.name());
        int at = (int) (rela.offset() + (long) entry * ElfFile.entSize(rela) + 8);
        long info = le(b).getLong(at);
        le(b).putLong(at, Elf.rInfo(Elf.rSym(info) == 1 ? 2 : 1, Elf.rType(info)));

        ElfFile damaged = ElfFile.read(b, "damaged output");
        var cl = c.report().classification();
        Machine machine = Machine.of(damaged.ehdr.e_machine());
        List<String> oneAfterAnother = new ArrayList<>(Verifier.check(damaged, cl.renamed(), cl.kept(), c.report().newSoname(),
                machine.maxPageSize()));
        oneAfterAnother.addAll(Verifier.checkRelocations(in, damaged, cl.renamed(), machine));
        oneAfterAnother.addAll(Verifier.checkLinks(damaged, List.of(), in.needed, null));
        assertReported(oneAfterAnother, "original name " + e.name() + " is still exported");
        assertReported(oneAfterAnother, rela.name() + "[" + entry + "]");
        assertEquals(oneAfterAnother, Verifier.checkAll(in, damaged, Verifier.expect(cl.renamed(), cl.kept()), List.of(),
                c.report().newSoname(), machine, in.needed, null));
    }
}
