package dev.isolate.engine.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks;
import dev.isolate.engine.Lint;
import dev.isolate.engine.Report;
import dev.isolate.engine.Target;
import dev.isolate.engine.Tools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A BASE version definition whose Verdaux is also the next Verdef's, as in Debian's libjansson.so.4
 * (one {@code vda_name} for BASE and the version {@code libjansson.so.4}). Renaming the BASE there
 * renamed the version of every symbol defined in it: the engine's own check refused its output. Made
 * here from a GNU ld library whose version node is named like its SONAME, its BASE's {@code vd_aux}
 * then aimed at the other entry's Verdaux.
 */
class SharedVerdauxTest {
    @Test
    void theBaseKeepsItsNameAndEveryVersionStays() throws IOException {
        Tools.require("gcc", "readelf", "eu-elflint");
        Path dir = Tools.freshWork("shared-verdaux");
        Files.writeString(dir.resolve("same.c"), "int same_a(void) { return 1; }\nint same_b(void) { return 2; }\n");
        Files.writeString(dir.resolve("same.map"), "libsame.so.1 {\n  global: same_*;\n  local: *;\n};\n");
        Path lib = dir.resolve("libsame.so.1");
        Tools.Result cc = Tools.run("gcc", "-shared", "-fPIC", "-fuse-ld=bfd", "-o", lib.toString(), dir.resolve("same.c").toString(),
                "-Wl,-soname,libsame.so.1", "-Wl,--version-script=" + dir.resolve("same.map"));
        assertEquals(0, cc.exit(), cc.describe());
        assertEquals(false, Checks.baseAuxShared(lib), "GNU ld gives each Verdef its own Verdaux");
        shareBaseAux(lib);
        assertTrue(Checks.baseAuxShared(lib), "the BASE's vd_aux now aims at the other entry's Verdaux");

        Report r = Checks.isolate(lib, dir.resolve("out"), Checks.PREFIX);
        assertEquals("lib" + Checks.PREFIX + "same.so.1", r.newSoname());
        Checks.assertSoname(lib, r, r.newSoname());
        Checks.assertVersionsKept(lib, r.output(), r.newSoname());
        assertEquals(List.of("V acme_same_a libsame.so.1", "V acme_same_b libsame.so.1"), Checks.nameLines(r).stream()
                .filter(l -> l.startsWith("V ")).sorted().toList(), "renamed, in the version they had");
        Checks.assertDlcheck(Target.X86_64, r.output(), Checks.nameLines(r), dir.resolve("names"));
        Lint.assertNoNewMessages(lib, r.output(), Checks.PREFIX);
    }

    /** Points the BASE Verdef's {@code vd_aux} at the Verdaux of the Verdef after it. */
    private static void shareBaseAux(Path lib) throws IOException {
        int base = Checks.verdefOffset(lib);
        assertTrue(base > 0, "a .gnu.version_d in " + lib);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(lib)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, b.getShort(base + 2) & 1, "the first Verdef is BASE");
        int next = base + b.getInt(base + 16);
        b.putInt(base + 12, next - base + b.getInt(next + 12));
        Files.write(lib, b.array());
    }
}
