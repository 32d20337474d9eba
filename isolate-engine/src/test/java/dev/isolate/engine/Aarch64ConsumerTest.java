package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Consumers.Binding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer artifacts for aarch64 (issue 7): Debian's arm64 zlib isolated, its stub archive holding
 * {@code bti c; b} objects with the BTI/PAC property, a consumer linked through the linker script with
 * {@code -z force-bti} and run under qemu, and both copies of zlib in one process.
 */
class Aarch64ConsumerTest {
    static final Target ARM = Target.AARCH64;
    static RealLibrariesTest.Isolated zlib;
    static Path dir;

    @BeforeAll
    static void isolate() throws IOException {
        ARM.requireToolchain();
        Tools.require("aarch64-linux-gnu-readelf", "aarch64-linux-gnu-objdump", "aarch64-linux-gnu-as", "aarch64-linux-gnu-nm");
        zlib = new Aarch64RealLibrariesTest().isolated("libz.so.1");
        dir = zlib.output().getParent();
    }

    static long javaCrc() {
        CRC32 c = new CRC32();
        c.update("isolate: one library, two copies, no clash".getBytes(StandardCharsets.US_ASCII));
        return c.getValue();
    }

    @Test
    void theStubsAreAarch64ObjectsWithBtiPacAndANonExecutableStack() {
        Path archive = dir.resolve("libz_stubs.a");
        String notes = Tools.run("aarch64-linux-gnu-readelf", "-n", archive.toString()).ok().out();
        String sections = Tools.run("aarch64-linux-gnu-readelf", "-SW", archive.toString()).ok().out();
        String relocs = Tools.run("aarch64-linux-gnu-readelf", "-rW", archive.toString()).ok().out();
        String code = Tools.run("aarch64-linux-gnu-objdump", "-d", archive.toString()).ok().out();
        int members = Consumers.archiveIndex(archive).values().stream().distinct().toList().size();
        assertTrue(members > 50, "stub members for zlib's functions: " + members);
        assertEquals(members, count(notes, "AArch64 feature: BTI, PAC"), "every member claims BTI and PAC:\n" + Tools.tail(notes, 800));
        assertEquals(members, count(sections, ".note.GNU-stack"), "every member has .note.GNU-stack");
        assertEquals(members, count(relocs, "R_AARCH64_JUMP26"), "one R_AARCH64_JUMP26 per member");
        assertTrue(code.contains("bti\tc") && code.contains("\tb\t"), "bti c; b in the code:\n" + Tools.tail(code, 800));
        assertTrue(relocs.contains("R_AARCH64_JUMP26") && relocs.contains(Checks.PREFIX + "crc32"), "crc32's stub branches to "
                + Checks.PREFIX + "crc32");
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** {@code aarch64-linux-gnu-gcc zlib_cohab.c -L dir -lz [extra]}: the program; the linker's warnings go to {@code warnings}. */
    static Path link(String name, List<String> warnings, String... extra) {
        Path exe = Tools.work("aarch64-consumer").resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of(ARM.tool("gcc"), "-O1", "-mbranch-protection=standard", "-o",
                exe.toString(), Consumers.source("zlib_cohab.c").toString(), "-L" + dir, "-lz", "-Wl,-rpath," + dir, "-ldl"));
        cmd.addAll(List.of(extra));
        Tools.Result r = Consumers.build(cmd.toArray(new String[0]));
        warnings.addAll(r.out().lines().filter(l -> l.contains("warning")).toList());
        return exe;
    }

    @Test
    void aConsumerLinkedThroughTheScriptRunsOnTheIsolatedCopy() {
        Path exe = link("zlib_cohab", new java.util.ArrayList<>());
        String dyn = Checks.readelf("-dW", exe.toString());
        assertTrue(dyn.contains("Shared library: [libacme_z.so.1]") && !dyn.contains("[libz.so.1]"), "NEEDED:\n" + dyn);
        Tools.Result r = Tools.run(ARM.command(exe), Tools.DEFAULT_TIMEOUT, false);
        assertEquals(0, r.exit(), r.describe());
        String[] linked = r.out().strip().split(" ");
        assertEquals("linked", linked[0], r.out());
        assertTrue(linked[1].matches("1\\.\\d+\\.\\d+.*"), "zlibVersion() of the isolated arm64 zlib: " + r.out());
        assertEquals(javaCrc(), Long.parseLong(linked[2]), "crc32 of the isolated copy vs java.util.zip");
    }

    /**
     * {@code -z force-bti} names every input without the BTI property; the stubs are never among them. (The
     * program itself cannot run: Debian 12's crt objects have no BTI landing pads, so any force-bti program
     * dies at start under qemu, which enforces BTI; the next test runs the stubs under enforcement instead.)
     */
    @Test
    void forceBtiFindsNothingToSayAboutTheStubs() {
        List<String> warnings = new java.util.ArrayList<>();
        Path exe = link("zlib_cohab_force_bti", warnings, "-Wl,-z,force-bti");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("crt")), "the linker does report inputs without BTI: " + warnings);
        assertTrue(warnings.stream().noneMatch(w -> w.contains("libz_stubs.a") || w.contains("(s0")),
                "no warning about a stub object: " + warnings);
        String notes = Tools.run("aarch64-linux-gnu-readelf", "-n", exe.toString()).ok().out();
        assertTrue(notes.contains("AArch64 feature: BTI"), "the program is BTI-marked:\n" + notes);
    }

    /**
     * A BTI-clean shared library (only its own object and the stubs) is mapped BTI-guarded by the aarch64 glibc
     * under qemu; an indirect call into a stub lands on its {@code bti c} and works, while the control, an
     * indirect call to a function without a landing pad in the same library, dies with SIGILL.
     */
    @Test
    void theStubsRunUnderBtiEnforcementAndAMissingLandingPadWouldNot() {
        Path work = Tools.freshWork("aarch64-consumer/bti");
        Path obj = work.resolve("bti_user.o");
        Path control = work.resolve("bti_control.o");
        Path lib = work.resolve("libbti_user.so");
        Path main = work.resolve("bti_main");
        Consumers.build(ARM.tool("gcc"), "-O1", "-fPIC", "-mbranch-protection=standard", "-c", "-o", obj.toString(),
                Consumers.source("bti_user.c").toString());
        Consumers.build(ARM.tool("as"), "-o", control.toString(), Consumers.source("bti_control.s").toString());
        Consumers.build(ARM.tool("gcc"), "-shared", "-nostartfiles", "-o", lib.toString(), obj.toString(), control.toString(),
                "-L" + dir, "-lz", "-Wl,-rpath," + dir);
        Consumers.build(ARM.tool("gcc"), "-O1", "-o", main.toString(), Consumers.source("bti_main.c").toString(), "-ldl");
        String notes = Tools.run("aarch64-linux-gnu-readelf", "-n", lib.toString()).ok().out();
        assertTrue(notes.contains("AArch64 feature: BTI, PAC"), "the library (its object and the stubs) is BTI-marked:\n" + notes);
        assertTrue(Tools.run("aarch64-linux-gnu-nm", lib.toString()).ok().out().contains(" t crc32"),
                "crc32 is a hidden stub inside the library");

        Tools.Result ok = Tools.run(ARM.command(main, lib.toString(), "0"), Tools.DEFAULT_TIMEOUT, false);
        assertEquals(0, ok.exit(), "an indirect call into the stub under BTI: " + ok.describe());
        assertEquals("crc " + javaCrc(), ok.out().strip());
        Tools.Result bad = Tools.run(ARM.command(main, lib.toString(), "1"), Tools.DEFAULT_TIMEOUT, false);
        assertEquals(128 + 4, bad.exit(), "control: an indirect call without a landing pad dies with SIGILL: " + bad.describe());
    }

    @Test
    void bothCopiesInOneAarch64ProcessEachNameBindsToItsOwnCopy() {
        Path exe = link("zlib_cohab_two", new java.util.ArrayList<>());
        Path original = Consumers.realPath(zlib.input());
        Path isolated = Consumers.realPath(zlib.output());
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-aarch64", "-L", Target.AARCH64_SYSROOT, "-E", "LD_BIND_NOW=1",
                "-E", "LD_DEBUG=bindings", exe.toString(), original.toString()));
        Tools.Result r = Consumers.runWith(Map.of(), cmd.toArray(new String[0]));
        assertEquals(0, r.exit(), r.describe());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("linked ") && lines.get(1).startsWith("other "), r.out());
        assertEquals(lines.get(0).substring(7), lines.get(1).substring(6), "same zlib version, same crc from both copies");

        List<Binding> all = Consumers.bindings(r.err());
        List<Binding> prefixed = all.stream().filter(b -> b.symbol().startsWith(Checks.PREFIX)).toList();
        List<Binding> originals = all.stream().filter(b -> b.symbol().equals("crc32") || b.symbol().equals("zlibVersion")).toList();
        assertFalse(prefixed.isEmpty(), "the stubs' prefixed names were bound:\n" + Tools.tail(r.err(), 2000));
        assertTrue(prefixed.stream().allMatch(b -> b.to().equals(isolated)), "prefixed names bind to " + isolated + ": " + prefixed);
        assertTrue(originals.size() >= 2 && originals.stream().allMatch(b -> b.to().equals(original)),
                "the original names (dlsym) bind to the other copy " + original + ": " + originals);
    }
}
