package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.WarningCategory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks shared by the tests over real libraries and over the C fixtures; each one runs external tools. */
public final class Checks {
    private Checks() {}

    public static final String PREFIX = "acme_";

    /** One library isolated alone, through the engine's API: a bundle of one whose DT_RUNPATH is left as it is. */
    public static Report isolate(Path input, Path outputDir, String prefix) throws IOException {
        return isolate(input, outputDir, prefix, false, Set.of());
    }

    /** The same, with {@code --werror} and the categories it allows. */
    public static Report isolate(Path input, Path outputDir, String prefix, boolean werror, Set<WarningCategory> allowed)
            throws IOException {
        return Isolator.isolate(new BundleRequest(List.of(input), outputDir, prefix, Map.of(), List.of(), werror, allowed, null,
                Map.of())).members().get(0);
    }

    /** The dry run of one library alone, with the default names. */
    public static Report inspect(Path input, String prefix) throws IOException {
        return Isolator.inspect(new BundleRequest(List.of(input), Path.of("."), prefix, Map.of(), List.of(), false, Set.of(), null,
                Map.of())).members().get(0);
    }

    /** The strip tools an isolated library must survive; each writes {@code dst} from {@code src}. */
    public enum StripTool {
        STRIP("strip"), STRIP_G("strip -g"), OBJCOPY("objcopy"), EU_STRIP("eu-strip");

        public final String label;

        StripTool(String label) {
            this.label = label;
        }

        /** BFD's tools are built per target ({@code aarch64-linux-gnu-strip}); eu-strip reads every machine. */
        String executable(Target target) {
            String tool = label.split(" ")[0];
            return this == EU_STRIP ? tool : target.tool(tool);
        }

        public List<String> command(Target target, Path src, Path dst) {
            String exe = executable(target);
            return switch (this) {
                case STRIP, EU_STRIP -> List.of(exe, "-o", dst.toString(), src.toString());
                case STRIP_G -> List.of(exe, "-g", "-o", dst.toString(), src.toString());
                case OBJCOPY -> List.of(exe, src.toString(), dst.toString());
            };
        }

        @Override
        public String toString() {
            return label;
        }
    }

    // ---- readelf -------------------------------------------------------------------------------------------

    public static String readelf(String... args) {
        Tools.require("readelf");
        List<String> cmd = new ArrayList<>();
        cmd.add("readelf");
        cmd.addAll(List.of(args));
        return Tools.run(cmd, Tools.DEFAULT_TIMEOUT, false).ok().out();
    }

    private static final Pattern SONAME = Pattern.compile("\\(SONAME\\)\\s+Library soname: \\[(.*)\\]");

    /** DT_SONAME per {@code readelf -d}, or null. */
    public static String soname(Path lib) {
        Matcher m = SONAME.matcher(readelf("-d", "-W", lib.toString()));
        return m.find() ? m.group(1) : null;
    }

    private static final Pattern NAME = Pattern.compile("Name: (\\S+)");

    /** The {@code readelf -V --wide} output. */
    public static String versionInfo(Path lib) {
        return readelf("-V", "--wide", lib.toString());
    }

    public static boolean hasVerdef(String versionInfo) {
        return versionInfo.contains("Version definition section");
    }

    /** The name of the {@code Flags: BASE} (index 1) entry of {@code .gnu.version_d}, or null. */
    public static String baseVersion(String versionInfo) {
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
    public static Set<String> versionNames(String versionInfo) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(versionInfo);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The output's SONAME, and the file named after it; the BASE version definition renamed with it. */
    public static void assertSoname(Path input, Report r, String expectedSoname) {
        Path out = r.output();
        assertEquals(expectedSoname, r.newSoname(), "Report.newSoname of " + input);
        assertEquals(expectedSoname, out.getFileName().toString(), "output file name vs the new SONAME");
        assertEquals(expectedSoname, soname(out), "DT_SONAME in `readelf -d " + out + "`");
        String inV = versionInfo(input);
        if (hasVerdef(inV)) {
            assertEquals(baseAuxShared(input) ? baseVersion(inV) : expectedSoname, baseVersion(versionInfo(out)),
                    "name of the BASE version definition (Index: 1, Flags: BASE) in `readelf -V " + out + "`"
                            + " (kept when its Verdaux is another version's too)");
        }
    }

    /**
     * Whether the BASE Verdef's first Verdaux is also another Verdef's (libjansson's linker wrote one
     * Verdaux for BASE and the version named like the SONAME): then renaming the BASE would rename that
     * version too. Read from the file's bytes at the offset readelf gives, not through the engine.
     */
    public static boolean baseAuxShared(Path lib) {
        int first = verdefOffset(lib);
        if (first < 0) {
            return false;
        }
        // one Elf64_Verdef (20 bytes) read at a time: libLLVM is 117 MB, and this runs for every library
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lib)) {
            ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
            long baseAux = -1;
            Set<Long> otherAux = new TreeSet<>();
            for (long d = first, n = 0; n < 1000; n++) {
                b.clear();
                while (b.hasRemaining() && ch.read(b, d + b.position()) > 0) {
                    // until the 20 bytes are in, or the file ends
                }
                if (b.hasRemaining()) {
                    fail("Elf64_Verdef at 0x" + Long.toHexString(d) + " runs past the end of " + lib);
                }
                long aux = d + Integer.toUnsignedLong(b.getInt(12));
                if ((b.getShort(2) & 1) != 0) { // VER_FLG_BASE
                    baseAux = aux;
                } else {
                    otherAux.add(aux);
                }
                int next = b.getInt(16);
                if (next == 0) {
                    break;
                }
                d += next;
            }
            return otherAux.contains(baseAux);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern VERDEF_OFFSET = Pattern.compile("Version definition section.*\\n.*Offset: 0x([0-9a-f]+)");

    /** File offset of {@code .gnu.version_d} per {@code readelf -V}, or -1 without one. */
    public static int verdefOffset(Path lib) {
        Matcher m = VERDEF_OFFSET.matcher(versionInfo(lib));
        return m.find() ? Integer.parseInt(m.group(1), 16) : -1;
    }

    /** The version names of the output equal the input's, with the BASE name replaced by the new SONAME. */
    public static void assertVersionsKept(Path input, Path output, String newSoname) {
        String inV = versionInfo(input);
        String outV = versionInfo(output);
        Set<String> expected = new TreeSet<>(versionNames(inV));
        String base = baseVersion(inV);
        if (base != null && !baseAuxShared(input)) {
            expected.remove(base);
            expected.add(newSoname);
        }
        assertEquals(expected, versionNames(outV),
                "version names (Name: in .gnu.version_d/.gnu.version_r per readelf -V) of " + output + " vs " + input
                        + " with BASE " + base + " -> " + newSoname);
    }

    // ---- dlcheck -------------------------------------------------------------------------------------------

    /** dlcheck lines for the report: the new names resolve into the output, the old ones do not. */
    public static List<String> nameLines(Report r) {
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

    /** Runs the target's {@code dlcheck lib names} and requires all {@code lines} to pass. */
    public static void assertDlcheck(Target target, Path lib, List<String> lines, Path namesFile) {
        assertDlcheck(target, lib, lines, namesFile, target.fixtures().resolve("dlcheck"));
    }

    /** The same with {@code dlcheck} built otherwise (for another C library: musl). */
    public static void assertDlcheck(Target target, Path lib, List<String> lines, Path namesFile, Path dlcheck) {
        try {
            Files.write(namesFile, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tools.Result r = Tools.run(target.command(dlcheck, lib.toString(), namesFile.toString()), Tools.DEFAULT_TIMEOUT, true);
        String out = r.out();
        List<String> failures = out.lines().filter(l -> l.startsWith("FAIL")).limit(30).toList();
        String closing = out.lines().reduce((a, b) -> b).orElse("");
        String expected = "dlcheck: " + lines.size() + " ok, 0 failed";
        assertTrue(r.exit() == 0 && closing.equals(expected), "dlcheck " + lib + " " + namesFile + ": expected exit 0 and '"
                + expected + "', got exit " + r.exit() + " and '" + closing + "'; first failures:\n  " + String.join("\n  ", failures)
                + (failures.isEmpty() ? Tools.tail(out, 2000) : ""));
    }

    /** {@code dlcheck lib}: the target's real loader maps it (RTLD_NOW). */
    public static void assertLoads(Target target, Path lib) {
        Path dlcheck = target.fixtures().resolve("dlcheck");
        Tools.Result r = Tools.run(target.command(dlcheck, lib.toString()), Tools.DEFAULT_TIMEOUT, true);
        assertTrue(r.exit() == 0 && r.out().contains("dlcheck: loaded"),
                "dlopen(RTLD_NOW) of " + lib + " via dlcheck: " + r.describe());
    }

    // ---- section headers ----------------------------------------------------------------------------------

    public record Section(int index, long addr, long offset, long size) {}

    /** One section of {@code readelf -SW} by name. */
    public static Section section(Path lib, String name) {
        for (String l : Checks.readelf("-SW", lib.toString()).lines().toList()) {
            String t = l.replace("[ ", "[").trim();
            String[] f = t.split("\\s+");
            if (f.length > 6 && f[1].equals(name)) {
                int index = Integer.parseInt(f[0].replaceAll("[\\[\\]]", ""));
                return new Section(index, Long.parseLong(f[3], 16), Long.parseLong(f[4], 16), Long.parseLong(f[5], 16));
            }
        }
        throw new AssertionError("no section " + name + " in " + lib);
    }

    // ---- program headers -----------------------------------------------------------------------------------

    public record Load(long offset, long vaddr, long filesz, long memsz, String flags, long align) {
        @Override
        public String toString() {
            return String.format("LOAD off 0x%x vaddr 0x%x filesz 0x%x memsz 0x%x [%s] align 0x%x", offset, vaddr, filesz, memsz,
                    flags, align);
        }
    }

    private static final Pattern LOAD = Pattern.compile(
            "^\\s*LOAD\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+(.*?)\\s+0x(\\p{XDigit}+)\\s*$");

    /** The PT_LOAD entries of {@code readelf -lW}, in program header order. */
    public static List<Load> loads(Path lib) {
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

    public static Load lastByOffset(List<Load> loads) {
        return loads.stream().max((a, b) -> Long.compareUnsigned(a.offset(), b.offset())).orElseThrow();
    }

    /** PT_LOADs sorted by p_vaddr, each congruent modulo its alignment, the new (last) one read-only. */
    public static void assertLoadsSane(Path out) {
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

    /**
     * The engine adds no page problem for a target whose kernels may use {@code pageSize} pages: no PT_LOAD
     * loses congruence of {@code p_vaddr} and {@code p_offset} modulo the page size, and no two PT_LOADs share
     * a page after rounding out to page boundaries, unless they already did in the input (a 4 KiB-linked
     * aarch64 library shares 64 KiB pages from the start). The new segment itself obeys both, with an
     * alignment of at least the page size.
     */
    public static void assertPagesRespected(Path input, Path output, long pageSize) {
        List<Load> out = loads(output);
        Set<String> added = pageProblems(out, pageSize);
        added.removeAll(pageProblems(loads(input), pageSize));
        assertEquals(Set.of(), added, "PT_LOAD page problems of " + output + " at page size 0x" + Long.toHexString(pageSize)
                + " that its input " + input + " does not have");
        Load last = lastByOffset(out);
        assertTrue(last.align() >= pageSize, "Align of the new PT_LOAD " + last + " >= page size 0x" + Long.toHexString(pageSize));
        for (String p : pageProblems(out, pageSize)) {
            assertFalse(p.contains(last.toString()), "the new PT_LOAD in a page problem of " + output + ": " + p);
        }
    }

    /** Each PT_LOAD not congruent modulo {@code page}, and each pair sharing a page after rounding out. */
    public static Set<String> pageProblems(List<Load> loads, long page) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < loads.size(); i++) {
            Load a = loads.get(i);
            if (Long.remainderUnsigned(a.vaddr() - a.offset(), page) != 0) {
                out.add("not congruent: " + a);
            }
            for (int j = i + 1; j < loads.size(); j++) {
                Load b = loads.get(j);
                long aFirst = a.vaddr() / page;
                long aLast = (a.vaddr() + Math.max(a.memsz(), 1) - 1) / page;
                long bFirst = b.vaddr() / page;
                long bLast = (b.vaddr() + Math.max(b.memsz(), 1) - 1) / page;
                if (aFirst <= bLast && bFirst <= aLast) {
                    out.add("share a page: " + a + " and " + b);
                }
            }
        }
        return out;
    }

    // ---- relocations ---------------------------------------------------------------------------------------

    /** One entry of {@code readelf -rW}: where, what, and against which symbol (with its @version), or "" for none. */
    public record Reloc(String offset, String type, String symbol) {}

    private static final Pattern RELOC_SECTION = Pattern.compile("^Relocation section '([^']*)'");

    /** The entries of every relocation section of {@code readelf -rW lib} whose name is in {@code sections}. */
    public static List<Reloc> relocations(Path lib, Set<String> sections) {
        List<Reloc> out = new ArrayList<>();
        boolean in = false;
        for (String line : readelf("-rW", lib.toString()).split("\n")) {
            Matcher m = RELOC_SECTION.matcher(line);
            if (m.find()) {
                in = sections.contains(m.group(1));
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (!in || f.length < 4 || !f[0].matches("\\p{XDigit}{16}")) {
                continue;
            }
            // offset info type [value name + addend | addend]
            boolean withSymbol = f.length >= 7 && (f[f.length - 2].equals("+") || f[f.length - 2].equals("-"));
            out.add(new Reloc(f[0], f[2], withSymbol ? f[4] : ""));
        }
        return out;
    }

    /**
     * readelf's view of the dynamic relocation sections: the same entries in the same order with the same
     * types, each against the same symbol under its new name (version kept). Returns the input's entries.
     */
    public static List<Reloc> assertRelocationsFollowRenames(Path input, Path output, Report r, Set<String> dynamicSections) {
        Map<String, String> renamed = new HashMap<>();
        r.classification().renamed().forEach(e -> renamed.put(e.name(), e.newName()));
        List<Reloc> in = relocations(input, dynamicSections);
        List<Reloc> expected = new ArrayList<>();
        for (Reloc x : in) {
            String base = x.symbol().replaceFirst("@.*", "");
            String sym = renamed.containsKey(base) ? renamed.get(base) + x.symbol().substring(base.length()) : x.symbol();
            expected.add(new Reloc(x.offset(), x.type(), sym));
        }
        assertEquals(expected, relocations(output, dynamicSections), "`readelf -rW` entries of " + dynamicSections + " in "
                + output + " vs " + input + " with renamed symbols prefixed");
        return in;
    }

    // ---- strip survival ------------------------------------------------------------------------------------

    /**
     * Applies {@code tool} to {@code input} and {@code output}: the stripped output still loads and eu-elflint
     * says nothing new about it compared with the stripped input. The stripped copies are deleted afterwards.
     */
    public static void assertSurvivesStrip(Target target, Path input, Path output, StripTool tool, Path dir) throws IOException {
        Tools.require(tool.executable(target));
        Files.createDirectories(dir);
        Path strippedIn = dir.resolve("in-" + input.getFileName());
        Path strippedOut = dir.resolve(output.getFileName());
        try {
            Tools.Result ri = Tools.run(tool.command(target, input, strippedIn), Tools.DEFAULT_TIMEOUT, true);
            assertEquals(0, ri.exit(), tool + " of the input " + input + ": " + ri.describe());
            Tools.Result ro = Tools.run(tool.command(target, output, strippedOut), Tools.DEFAULT_TIMEOUT, true);
            assertEquals(0, ro.exit(), tool + " of the output " + output + ": " + ro.describe());
            assertLoads(target, strippedOut);
            Lint.assertNoNewMessages(strippedIn, strippedOut, PREFIX);
        } finally {
            Files.deleteIfExists(strippedIn);
            Files.deleteIfExists(strippedOut);
        }
    }

    /** The dynamic symbol lines of {@code readelf --dyn-syms -W}. */
    public static List<String> dynSyms(Path lib) {
        return readelf("--dyn-syms", "-W", lib.toString()).lines().filter(l -> l.matches("\\s*\\d+: .*")).toList();
    }

    /** The dyn-sym line whose name (without @version) is {@code name}, or null. */
    public static String dynSym(List<String> lines, String name) {
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 8 && f[7].replaceFirst("@.*", "").equals(name)) {
                return l;
            }
        }
        return null;
    }
}
