package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.elf.ElfFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shared library installed in {@code /usr/lib/x86_64-linux-gnu} (about 450 files here, fewer on a
 * fresh CI machine), isolated one by one: an ELF file is isolated, and when the system's loader maps
 * the input, it maps the output too and every renamed name resolves into it (dlcheck); a file that
 * is not ELF (linker scripts such as libc.so) is refused with one line. This sweep found the shared
 * Verdaux of libjansson ({@link SharedVerdauxTest}); the seven libraries of {@link RealLibrariesTest}
 * get the deeper checks (eu-elflint, strip tools).
 */
class EveryInstalledLibraryTest {
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    @Test
    void eachIsIsolatedLoadsAsTheInputDoesAndResolvesItsNewNames() throws IOException {
        Tools.require("gcc");
        Path dlcheck = Target.X86_64.fixtures().resolve("dlcheck");
        List<Path> libs;
        try (Stream<Path> s = Files.list(RealLibrariesTest.LIBDIR)) {
            libs = s.filter(p -> p.getFileName().toString().matches("lib.*\\.so(\\..*)?") && Files.isRegularFile(p)
                    && !Files.isSymbolicLink(p)).sorted().toList();
        }
        assertTrue(libs.size() >= 20, "libraries in " + RealLibrariesTest.LIBDIR + ": " + libs.size());
        Path work = Tools.freshWork("every-library");
        List<String> problems = new ArrayList<>();
        int isolated = 0;
        int loaded = 0;
        for (Path lib : libs) {
            Path out = work.resolve(lib.getFileName().toString());
            boolean elf = isElf(lib);
            Report r;
            try {
                r = Checks.isolate(lib, out, Checks.PREFIX);
            } catch (ElfFormatException e) {
                if (elf || !e.getMessage().contains("not an ELF file")) {
                    problems.add(lib + ": " + e.getMessage());
                }
                continue;
            } catch (RuntimeException e) {
                problems.add(lib + ": escaped " + e);
                continue;
            }
            isolated++;
            if (!elf) {
                problems.add(lib + ": not ELF, yet isolated");
                continue;
            }
            if (Tools.run(dlcheck.toString(), lib.toString()).exit() != 0) {
                continue; // the input itself does not load alone here (it needs a preload or a host program)
            }
            Path names = out.resolve("names.txt");
            Files.write(names, Checks.nameLines(r));
            Tools.Result check = Tools.runMerged(dlcheck.toString(), r.output().toString(), names.toString());
            if (check.exit() != 0 && !onlyVdso(check.out())) {
                problems.add(lib + " -> " + r.output() + ": " + Tools.tail(check.out(), 600));
            } else {
                loaded++;
            }
        }
        assertEquals(List.of(), problems, problems.size() + " of " + libs.size() + " libraries");
        assertTrue(loaded >= 10 && loaded * 2 > isolated, loaded + " of " + isolated + " isolated libraries checked by dlcheck");
    }

    /**
     * Whether every failure is an IFUNC that resolved into the vDSO (glibc's own {@code gettimeofday}:
     * the renamed name resolves, to where the original's resolver sends it, outside any file).
     */
    static boolean onlyVdso(String out) {
        List<String> fails = out.lines().filter(l -> l.startsWith("FAIL ")).toList();
        return !fails.isEmpty() && fails.stream().allMatch(l -> l.endsWith("realpath(linux-vdso.so.1) failed"))
                && out.contains(", " + fails.size() + " failed");
    }

    private static boolean isElf(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return Arrays.equals(ELF_MAGIC, in.readNBytes(4));
        }
    }
}
