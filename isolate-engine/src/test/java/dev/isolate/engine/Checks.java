package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks shared by the tests over real libraries and over the C fixtures; each one runs external tools. */
final class Checks {
    private Checks() {}

    static final String PREFIX = "acme_";

    /** The strip tools an isolated library must survive; each writes {@code dst} from {@code src}. */
    enum StripTool {
        STRIP("strip"), STRIP_G("strip -g"), OBJCOPY("objcopy"), EU_STRIP("eu-strip");

        final String label;

        StripTool(String label) {
            this.label = label;
        }

        String executable() {
            return label.split(" ")[0];
        }

        List<String> command(Path src, Path dst) {
            return switch (this) {
                case STRIP -> List.of("strip", "-o", dst.toString(), src.toString());
                case STRIP_G -> List.of("strip", "-g", "-o", dst.toString(), src.toString());
                case OBJCOPY -> List.of("objcopy", src.toString(), dst.toString());
                case EU_STRIP -> List.of("eu-strip", "-o", dst.toString(), src.toString());
            };
        }

        @Override
        public String toString() {
            return label;
        }
    }

    // ---- readelf -------------------------------------------------------------------------------------------

    static String readelf(String... args) {
        Tools.require("readelf");
        List<String> cmd = new ArrayList<>();
        cmd.add("readelf");
        cmd.addAll(List.of(args));
        return Tools.run(cmd, Tools.DEFAULT_TIMEOUT, false).ok().out();
    }

    private static final Pattern SONAME = Pattern.compile("\\(SONAME\\)\\s+Library soname: \\[(.*)\\]");

    /** DT_SONAME per {@code readelf -d}, or null. */
    static String soname(Path lib) {
        Matcher m = SONAME.matcher(readelf("-d", "-W", lib.toString()));
        return m.find() ? m.group(1) : null;
    }

    private static final Pattern NAME = Pattern.compile("Name: (\\S+)");

    /** The {@code readelf -V --wide} output. */
    static String versionInfo(Path lib) {
        return readelf("-V", "--wide", lib.toString());
    }

    static boolean hasVerdef(String versionInfo) {
        return versionInfo.contains("Version definition section");
    }

    /** The name of the {@code Flags: BASE} (index 1) entry of {@code .gnu.version_d}, or null. */
    static String baseVersion(String versionInfo) {
        for (String line : versionInfo.split("\n")) {
            if (line.contains("Flags: BASE") && line.matches(".*Index: 1\\b.*")) {
                Matcher m = NAME.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    /** Every {@code Name:} in {@code .gnu.version_d} and {@code .gnu.version_r}. */
    static Set<String> versionNames(String versionInfo) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(versionInfo);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The output's SONAME, and the file named after it; the BASE version definition renamed with it. */
    static void assertSoname(Path input, Report r, String expectedSoname) {
        Path out = r.output();
        assertEquals(expectedSoname, r.newSoname(), "Report.newSoname of " + input);
        assertEquals(expectedSoname, out.getFileName().toString(), "output file name vs the new SONAME");
        assertEquals(expectedSoname, soname(out), "DT_SONAME in `readelf -d " + out + "`");
        String inV = versionInfo(input);
        if (hasVerdef(inV)) {
            assertEquals(expectedSoname, baseVersion(versionInfo(out)),
                    "name of the BASE version definition (Index: 1, Flags: BASE) in `readelf -V " + out + "`");
        }
    }

    /** The version names of the output equal the input's, with the BASE name replaced by the new SONAME. */
    static void assertVersionsKept(Path input, Path output, String newSoname) {
        String inV = versionInfo(input);
        String outV = versionInfo(output);
        Set<String> expected = new TreeSet<>(versionNames(inV));
        String base = baseVersion(inV);
        if (base != null) {
            expected.remove(base);
            expected.add(newSoname);
        }
        assertEquals(expected, versionNames(outV),
                "version names (Name: in .gnu.version_d/.gnu.version_r per readelf -V) of " + output + " vs " + input
                        + " with BASE " + base + " -> " + newSoname);
    }

    // ---- dlcheck -------------------------------------------------------------------------------------------

    /** dlcheck lines for the report: the new names resolve into the output, the old ones do not. */
    static List<String> nameLines(Report r) {
        Set<String> lines = new LinkedHashSet<>();
        for (Export e : r.classification().renamed()) {
            if (e.type() == 6) { // STT_TLS: dladdr cannot map a TLS address
                lines.add("T " + e.newName());
            } else if (e.version() != null) {
                lines.add("V " + e.newName() + " " + e.version());
            } else {
                lines.add("R " + e.newName());
            }
        }
        for (Export e : r.classification().renamed()) {
            lines.add("A " + e.name());
        }
        return new ArrayList<>(lines);
    }

    /** Runs {@code dlcheck lib names} and requires all {@code lines} to pass. */
    static void assertDlcheck(Path lib, List<String> lines, Path namesFile) {
        try {
            Files.write(namesFile, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dlcheck = Tools.fixtures().resolve("dlcheck");
        Tools.Result r = Tools.run(List.of(dlcheck.toString(), lib.toString(), namesFile.toString()), Tools.DEFAULT_TIMEOUT, true);
        String out = r.out();
        List<String> failures = out.lines().filter(l -> l.startsWith("FAIL")).limit(30).toList();
        String closing = out.lines().reduce((a, b) -> b).orElse("");
        String expected = "dlcheck: " + lines.size() + " ok, 0 failed";
        assertTrue(r.exit() == 0 && closing.equals(expected), "dlcheck " + lib + " " + namesFile + ": expected exit 0 and '"
                + expected + "', got exit " + r.exit() + " and '" + closing + "'; first failures:\n  " + String.join("\n  ", failures)
                + (failures.isEmpty() ? Tools.tail(out, 2000) : ""));
    }

    /** {@code dlcheck lib}: the real loader maps it (RTLD_NOW). */
    static void assertLoads(Path lib) {
        Path dlcheck = Tools.fixtures().resolve("dlcheck");
        Tools.Result r = Tools.run(List.of(dlcheck.toString(), lib.toString()), Tools.DEFAULT_TIMEOUT, true);
        assertTrue(r.exit() == 0 && r.out().contains("dlcheck: loaded"),
                "dlopen(RTLD_NOW) of " + lib + " via dlcheck: " + r.describe());
    }

    // ---- program headers -----------------------------------------------------------------------------------

    record Load(long offset, long vaddr, long filesz, long memsz, String flags, long align) {
        @Override
        public String toString() {
            return String.format("LOAD off 0x%x vaddr 0x%x filesz 0x%x memsz 0x%x [%s] align 0x%x", offset, vaddr, filesz, memsz,
                    flags, align);
        }
    }

    private static final Pattern LOAD = Pattern.compile(
            "^\\s*LOAD\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+(.*?)\\s+0x(\\p{XDigit}+)\\s*$");

    /** The PT_LOAD entries of {@code readelf -lW}, in program header order. */
    static List<Load> loads(Path lib) {
        List<Load> out = new ArrayList<>();
        for (String line : readelf("-lW", lib.toString()).split("\n")) {
            Matcher m = LOAD.matcher(line);
            if (m.matches()) {
                out.add(new Load(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
                        Long.parseUnsignedLong(m.group(4), 16), Long.parseUnsignedLong(m.group(5), 16), m.group(6).strip(),
                        Long.parseUnsignedLong(m.group(7), 16)));
            }
        }
        if (out.isEmpty()) {
            fail("no LOAD in `readelf -lW " + lib + "`");
        }
        return out;
    }

    static Load lastByOffset(List<Load> loads) {
        return loads.stream().max((a, b) -> Long.compareUnsigned(a.offset(), b.offset())).orElseThrow();
    }

    /** PT_LOADs sorted by p_vaddr, each congruent modulo its alignment, the new (last) one read-only. */
    static void assertLoadsSane(Path out) {
        List<Load> loads = loads(out);
        for (int i = 1; i < loads.size(); i++) {
            assertTrue(Long.compareUnsigned(loads.get(i - 1).vaddr(), loads.get(i).vaddr()) < 0,
                    "PT_LOADs of " + out + " sorted by VirtAddr: " + loads.get(i - 1) + " before " + loads.get(i));
        }
        for (Load l : loads) {
            if (l.align() > 1) {
                assertEquals(0, Long.remainderUnsigned(l.vaddr() - l.offset(), l.align()),
                        "(VirtAddr - Offset) % Align of " + l + " in " + out);
            }
        }
        Load last = lastByOffset(loads);
        assertEquals("R", last.flags(), "flags of the new PT_LOAD (the last by offset) " + last + " of " + out);
    }

    // ---- strip survival ------------------------------------------------------------------------------------

    /**
     * Applies {@code tool} to {@code input} and {@code output}: the stripped output still loads and eu-elflint
     * says nothing new about it compared with the stripped input. The stripped copies are deleted afterwards.
     */
    static void assertSurvivesStrip(Path input, Path output, StripTool tool, Path dir) throws IOException {
        Tools.require(tool.executable());
        Files.createDirectories(dir);
        Path strippedIn = dir.resolve("in-" + input.getFileName());
        Path strippedOut = dir.resolve(output.getFileName());
        try {
            Tools.Result ri = Tools.run(tool.command(input, strippedIn), Tools.DEFAULT_TIMEOUT, true);
            assertEquals(0, ri.exit(), tool + " of the input " + input + ": " + ri.describe());
            Tools.Result ro = Tools.run(tool.command(output, strippedOut), Tools.DEFAULT_TIMEOUT, true);
            assertEquals(0, ro.exit(), tool + " of the output " + output + ": " + ro.describe());
            assertLoads(strippedOut);
            Lint.assertNoNewMessages(strippedIn, strippedOut, PREFIX);
        } finally {
            Files.deleteIfExists(strippedIn);
            Files.deleteIfExists(strippedOut);
        }
    }

    /** The dynamic symbol lines of {@code readelf --dyn-syms -W}. */
    static List<String> dynSyms(Path lib) {
        return readelf("--dyn-syms", "-W", lib.toString()).lines().filter(l -> l.matches("\\s*\\d+: .*")).toList();
    }

    /** The dyn-sym line whose name (without @version) is {@code name}, or null. */
    static String dynSym(List<String> lines, String name) {
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 8 && f[7].replaceFirst("@.*", "").equals(name)) {
                return l;
            }
        }
        return null;
    }
}
