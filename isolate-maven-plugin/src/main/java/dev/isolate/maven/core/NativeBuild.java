package dev.isolate.maven.core;

import dev.isolate.engine.BundleReport;
import dev.isolate.engine.BundleRequest;
import dev.isolate.engine.Isolator;
import dev.isolate.engine.common.Plural;
import dev.isolate.engine.common.Sha256;
import dev.isolate.engine.Report;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.elf.Elf64Sym;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.merge.MergeReport;
import dev.isolate.engine.merge.MergeRequest;
import dev.isolate.engine.merge.Merger;
import dev.isolate.engine.policy.SymbolPolicy;
import dev.isolate.engine.policy.WarningCategory;
import dev.isolate.engine.report.JsonReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import static dev.isolate.engine.elf.Elf.STB_GLOBAL;
import static dev.isolate.engine.elf.Elf.STB_GNU_UNIQUE;
import static dev.isolate.engine.elf.Elf.STB_WEAK;
import static dev.isolate.engine.elf.Elf.STV_DEFAULT;
import static dev.isolate.engine.elf.Elf.STV_PROTECTED;

/**
 * What the plugin does, with no Maven types: the inputs of one execution are grouped by platform (from each
 * library's ELF header, never the build host), each group isolated as one bundle, and the results placed:
 * the libraries and their {@link NativeIndex} under {@code <nativeDir>/<platform>/}, everything the engine
 * wrote (for native consumers) under {@code <workDir>/<platform>/}. Every platform is isolated into a staging
 * directory first and placed only when all succeeded, so a failure leaves nothing new under nativeDir; and
 * a failure removes what earlier runs placed there ({@link #discard}).
 * A fingerprint of the plugin version, the options and the inputs' contents lets an unchanged build skip
 * all ELF work.
 */
public final class NativeBuild {
    /** The modes of what is placed under nativeDir (see {@link #fixModes}). */
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> LIBRARY_MODE = DIR_MODE;
    private static final Set<PosixFilePermission> DATA_MODE = PosixFilePermissions.fromString("rw-r--r--");

    /** In workDir: the fingerprint, then the platforms placed, one a line. */
    static final String FINGERPRINT = "fingerprint";
    /** In workDir: the {@link #statKey} of the last run that placed or checked its outputs. */
    static final String STAT = "fingerprint.stat";

    private NativeBuild() {}

    /**
     * @param sonames   new SONAMEs by old SONAME or input file name
     * @param names     link names of the artifacts for native consumers ({@code -lN}), keyed like {@code sonames}
     * @param runpath   DT_RUNPATH of every member, or null to leave it
     * @param nativeDir where the libraries go ({@code target/classes/native})
     * @param workDir   the plugin's own directory ({@code target/isolate})
     * @param mode      {@link NativeIndex#RENAME} (isolate with the engine) or {@link NativeIndex#SEGREGATE} (package
     *                  the libraries unmodified, for the loader's dlmopen; the renaming options are not used) or
     *                  {@link NativeIndex#MERGE} (merge each platform's JNI library and the rest into one file, see
     *                  {@link #mergeRequest}; the renaming options are not used)
     * @param keep      mode merge: names the merged file exports besides TARGET's JNI entry points
     * @param keepAll   mode merge: it exports every member's exports
     */
    public record Options(String prefix, List<String> excludes, boolean werror, Set<WarningCategory> allowed,
            Map<String, String> sonames, Map<String, String> names, String runpath, Path nativeDir, Path workDir,
            String pluginVersion, String mode, Set<String> keep, boolean keepAll) {

        public Options {
            keep = Set.copyOf(keep);
        }

        /** The engine's request for one platform's libraries, written to {@code outputDir}. */
        BundleRequest request(List<Path> inputs, Path outputDir) {
            return new BundleRequest(inputs, outputDir, prefix, sonames, excludes, werror, allowed, runpath, names);
        }

        /** Packaged unmodified for a dlmopen namespace of their own: nothing is renamed. */
        boolean segregate() {
            return NativeIndex.SEGREGATE.equals(mode);
        }

        /** Merged into one file per platform: nothing is renamed. */
        boolean merge() {
            return NativeIndex.MERGE.equals(mode);
        }
    }

    /**
     * One platform's bundle, placed. {@code report} is null when the build was up to date or nothing was isolated
     * (segregate, merge); {@code merged} is the merge's report (mode merge, and not up to date), else null.
     */
    public record Platform(String platform, Path libraries, Path devDir, List<NativeIndex.Entry> index, BundleReport report,
            MergeReport merged) {}

    public record Result(List<Platform> platforms, boolean upToDate, String fingerprint) {}

    /** One platform's dry run, and its JSON report ({@code <workDir>/inspect-<platform>.json}). */
    public record Inspection(String platform, BundleReport report, Path json) {}

    /** One platform's dry run of a merge, and its JSON report ({@code <workDir>/inspect-<platform>.json}). */
    public record MergeInspection(String platform, MergeReport report, Path json) {}

    /**
     * The dry run of {@link #run} in mode merge: each platform's inputs, TARGET chosen as a merge chooses it, planned
     * as the merge it would be (exports, imports, DT_NEEDED, relocations bound). Writes the JSON reports only.
     */
    public static List<MergeInspection> inspectMerge(List<Path> inputs, Options o) throws IOException {
        List<MergeInspection> out = new ArrayList<>();
        for (var e : byPlatform(inputs, new TreeMap<>()).entrySet()) {
            MergeReport r = Merger.inspect(mergeRequest(e.getKey(), e.getValue(), o.workDir(), o));
            out.add(new MergeInspection(e.getKey(), r, inspectReport(o, e.getKey(), r.json() + "\n")));
        }
        return out;
    }

    /**
     * The dry run of {@link #run}: the same inputs, grouped by platform the same way, each group inspected as the
     * bundle it would be isolated as. Writes the JSON reports and nothing else.
     */
    public static List<Inspection> inspect(List<Path> inputs, Options o) throws IOException {
        List<Inspection> out = new ArrayList<>();
        for (var e : byPlatform(inputs, new TreeMap<>()).entrySet()) {
            BundleReport r = Isolator.inspect(o.request(e.getValue(), o.workDir()));
            out.add(new Inspection(e.getKey(), r, inspectReport(o, e.getKey(), JsonReport.of(r.libraries()))));
        }
        return out;
    }

    /** Writes a dry run's JSON report of one platform, {@code <workDir>/inspect-<platform>.json}, and returns its path. */
    private static Path inspectReport(Options o, String platform, String json) throws IOException {
        Path file = o.workDir().resolve("inspect-" + platform + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    public static Result run(List<Path> inputs, Options o, Consumer<String> log) throws IOException {
        Map<String, List<Path>> byPlatform = new TreeMap<>();
        try {
            return run(inputs, o, log, byPlatform);
        } catch (IOException | RuntimeException e) {
            try {
                discard(o.nativeDir(), o.workDir(), byPlatform.keySet());
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * After a failed run, removes what earlier runs of the execution placed: every platform folder the fingerprint
     * lists (and those in {@code platforms}) under nativeDir, and the fingerprint. Otherwise the libraries and
     * index of the last good run would stay in the classes directory, and a later build that skips the goal
     * ({@code -Disolate.skip}) would package them without a word, though they no longer match the configuration.
     */
    public static void discard(Path nativeDir, Path workDir, Collection<String> platforms) throws IOException {
        Path fpFile = workDir.resolve(FINGERPRINT);
        Set<String> all = new TreeSet<>(platforms);
        if (Files.isRegularFile(fpFile)) {
            List<String> lines = Files.readAllLines(fpFile, StandardCharsets.UTF_8);
            all.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
        }
        for (String p : all) {
            if (p.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) { // a platform token, never a path a damaged file could name
                deleteTree(nativeDir.resolve(p));
                deleteTree(nativeDir.resolve("." + p + ".staging"));
            }
        }
        if (Files.isDirectory(nativeDir)) {
            try (Stream<Path> s = Files.list(nativeDir)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(nativeDir); // or the jar gets an empty native/
                }
            }
        }
        Files.deleteIfExists(workDir.resolve(STAT));
        Files.deleteIfExists(fpFile);
    }

    private static Result run(List<Path> inputs, Options o, Consumer<String> log, Map<String, List<Path>> byPlatform)
            throws IOException {
        byPlatform(inputs, byPlatform);
        Path fpFile = o.workDir().resolve(FINGERPRINT);
        Path statFile = o.workDir().resolve(STAT);
        // First the cheap check: nothing's size or modification time changed since the last run placed its outputs.
        String recorded = Files.isRegularFile(statFile) && Files.isRegularFile(fpFile)
                ? Files.readString(statFile, StandardCharsets.UTF_8) : null;
        String fingerprint = recorded != null && recorded.equals(statKey(byPlatform, o))
                ? Files.readAllLines(fpFile, StandardCharsets.UTF_8).stream().findFirst().orElse(null) : null;
        boolean utd = fingerprint != null;
        if (!utd) { // then the contents: a file touched but unchanged is still up to date
            fingerprint = fingerprint(byPlatform, o);
            utd = upToDate(fpFile, fingerprint, byPlatform.keySet(), o);
            if (utd) {
                Files.writeString(statFile, statKey(byPlatform, o), StandardCharsets.UTF_8);
            }
        }
        if (utd) {
            List<Platform> out = new ArrayList<>();
            for (String p : byPlatform.keySet()) {
                out.add(new Platform(p, o.nativeDir().resolve(p), o.workDir().resolve(p), List.of(), null, null));
            }
            return new Result(out, true, fingerprint);
        }
        Files.deleteIfExists(statFile);
        Files.deleteIfExists(fpFile);

        // 1. Isolate every platform into staging directories: nothing is placed until all succeeded.
        Map<String, BundleReport> reports = new TreeMap<>(); // null for a segregate or merge bundle: nothing was isolated
        Map<String, MergeReport> merged = new TreeMap<>();
        try {
            for (var e : byPlatform.entrySet()) {
                Path stage = fresh(o.workDir().resolve("." + e.getKey() + ".staging"));
                if (o.merge()) {
                    merged.put(e.getKey(), Merger.merge(mergeRequest(e.getKey(), e.getValue(), stage, o)));
                }
                reports.put(e.getKey(), o.segregate() ? copyUnmodified(e.getValue(), stage)
                        : o.merge() ? null : Isolator.isolate(o.request(e.getValue(), stage)));
            }
        } catch (IOException | RuntimeException ex) {
            for (String p : byPlatform.keySet()) { // a failed build leaves no half-isolated bundle behind
                deleteTree(o.workDir().resolve("." + p + ".staging"));
            }
            throw ex;
        }
        // 2. Place them.
        List<Platform> out = new ArrayList<>();
        for (var e : reports.entrySet()) {
            String p = e.getKey();
            Path stage = o.workDir().resolve("." + p + ".staging");
            Path dev = o.workDir().resolve(p);
            replaceDir(stage, dev);
            List<NativeIndex.Entry> index = NativeIndex.loadOrder(o.segregate() ? unmodifiedEntries(byPlatform.get(p), dev)
                    : o.merge() ? unmodifiedEntries(List.of(merged.get(p).output()), dev) : entries(e.getValue(), dev));
            Path libsStage = fresh(o.nativeDir().resolve("." + p + ".staging"));
            for (NativeIndex.Entry en : index) {
                Files.copy(dev.resolve(en.file()), libsStage.resolve(en.file()), StandardCopyOption.COPY_ATTRIBUTES);
            }
            NativeIndex.write(libsStage, index, o.segregate() ? NativeIndex.SEGREGATE : NativeIndex.RENAME);
            fixModes(o.nativeDir(), libsStage);
            Path libs = o.nativeDir().resolve(p);
            replaceDir(libsStage, libs);
            out.add(new Platform(p, libs, dev, index, e.getValue(), merged.get(p)));
            log.accept("isolate: " + p + ": " + Plural.of(index.size(), "library", "libraries") + " -> " + libs);
        }
        Files.writeString(fpFile, fingerprint + "\n" + String.join("\n", byPlatform.keySet()) + "\n", StandardCharsets.UTF_8);
        Files.writeString(statFile, statKey(byPlatform, o), StandardCharsets.UTF_8);
        return new Result(out, false, fingerprint);
    }

    /** Adds the inputs to {@code byPlatform} (sorted by platform), each platform's in input order. */
    private static Map<String, List<Path>> byPlatform(List<Path> inputs, Map<String, List<Path>> byPlatform) throws IOException {
        if (inputs.isEmpty()) {
            throw new IsolateBuildException("no input libraries found: configure <fileSets>, <dependencyLibraries> or <artifacts>");
        }
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new NoSuchFileException(in.toString(), null, "not a regular file");
            }
            byPlatform.computeIfAbsent(platform(in), k -> new ArrayList<>()).add(in);
        }
        return byPlatform;
    }

    /**
     * The platform of a library: its machine's, from its ELF header's first 20 bytes, and {@code -musl} after it when
     * {@link LibraryPlatform#judge} finds it needs musl's libc (from its program headers and {@code DT_NEEDED}, not
     * as {@link ElfFile}: those classes loaded cold in the plugin's class realm cost more than the rest of an
     * up-to-date run). Anything but a little-endian ELF64 header of a supported machine is read in full, for the
     * engine's own message; so is a file the judging finds malformed, when it is isolated. A library judged for
     * another system keeps its machine's platform: the plugin was given it by name (a file set, or {@code <includes>}).
     */
    static String platform(Path in) throws IOException {
        byte[] h = new byte[20];
        int n;
        try (InputStream s = Files.newInputStream(in)) {
            n = s.readNBytes(h, 0, h.length);
        }
        int machine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
        boolean elf64le = n == h.length && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F' && h[4] == 2 && h[5] == 1;
        String platform = Machine.of(elf64le && Machine.isSupported(machine) ? machine : ElfFile.read(in).ehdr.e_machine()).platform();
        try {
            LibraryPlatform.Verdict v = ArchiveEntries.judge(in, in.toString());
            return v.packaged() ? v.platform() : platform;
        } catch (ElfFormatException e) {
            return platform; // the engine refuses it in its own words
        }
    }

    /**
     * A segregate bundle: the inputs copied byte for byte into {@code stage}, under their own file names. Returns null
     * (no report: the engine does not see them).
     */
    private static BundleReport copyUnmodified(List<Path> inputs, Path stage) throws IOException {
        for (Path in : inputs) {
            Path to = stage.resolve(in.getFileName().toString());
            if (Files.exists(to)) {
                throw new IsolateBuildException(in + ": another input of the same platform is also named " + in.getFileName()
                        + "; a segregated bundle keeps file names, so they must differ");
            }
            Files.copy(in, to);
        }
        return null;
    }

    /**
     * What a merge bundle asks of the engine (the isolate goal's merge, and inspect's plan of it): the platform's JNI
     * library (TARGET, the one input that exports {@code Java_*} or {@code JNI_OnLoad*}) and the libraries it bundles
     * (every other input) merged into one file in {@code stage}, under TARGET's file name and SONAME. Its index lists it alone, so the loader System.loads it as
     * it loads any renamed member. Which input is TARGET is read from the exports, not the configuration order,
     * so file sets and dependencies may list them in any order. It exports TARGET's JNI entry points, and what
     * {@link Options#keep} and {@link Options#keepAll} add.
     */
    private static MergeRequest mergeRequest(String platform, List<Path> inputs, Path stage, Options o) throws IOException {
        List<Path> targets = new ArrayList<>();
        for (Path in : inputs) {
            if (exportsJni(ElfFile.read(in))) {
                targets.add(in);
            }
        }
        String what = "<mode>merge</mode> merges each platform's one JNI library (the input that exports Java_* or JNI_OnLoad)"
                + " with the libraries it bundles, ";
        if (targets.size() != 1) {
            throw new IsolateBuildException(what + "but " + (targets.isEmpty() ? "none" : targets.size()) + " of the " + platform
                    + " inputs " + (targets.isEmpty() ? "does: " + inputs : "do: " + targets
                    + "; package each JNI library in an execution of its own"));
        }
        Path target = targets.get(0);
        if (inputs.size() < 2) {
            throw new IsolateBuildException(what + "but the only " + platform + " input is " + target
                    + ": add the libraries it bundles, or use <mode>rename</mode>");
        }
        List<Path> order = new ArrayList<>(inputs.size());
        order.add(target); // the engine's convention: TARGET first, the members' order decides nothing
        inputs.stream().filter(in -> in != target).forEach(order::add);
        return new MergeRequest(order, stage, o.keep(), o.keepAll());
    }

    /** Whether a library exports a JNI entry point (defined, global or weak, visible), as the merge's TARGET does. */
    private static boolean exportsJni(ElfFile elf) {
        for (int i = 1; i < elf.syms.length; i++) {
            Elf64Sym s = elf.syms[i];
            int b = s.bind();
            int v = s.visibility();
            if (s.isDefined() && (b == STB_GLOBAL || b == STB_WEAK || b == STB_GNU_UNIQUE) && (v == STV_DEFAULT || v == STV_PROTECTED)
                    && SymbolPolicy.isJniEntryPoint(elf.name(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The index entries of a segregate bundle in {@code dir}, in input order: each member's own SONAME, and as needs
     * the members its DT_NEEDED names by SONAME (or by file name, for a member without one).
     */
    static List<NativeIndex.Entry> unmodifiedEntries(List<Path> inputs, Path dir) throws IOException {
        Map<String, ElfFile> elves = new TreeMap<>();
        Map<String, String> fileBySoname = new TreeMap<>();
        for (Path in : inputs) {
            String file = in.getFileName().toString();
            ElfFile elf = ElfFile.read(dir.resolve(file));
            elves.put(file, elf);
            String name = elf.soname != null ? elf.soname : file;
            String other = fileBySoname.put(name, file);
            if (other != null) {
                throw new IsolateBuildException(in + ": SONAME " + name + " is also the SONAME of " + other
                        + "; one namespace holds one library of a SONAME");
            }
        }
        List<NativeIndex.Entry> out = new ArrayList<>();
        for (Path in : inputs) {
            String file = in.getFileName().toString();
            ElfFile elf = elves.get(file);
            List<String> needs = new ArrayList<>();
            for (String n : elf.needed) {
                String dep = fileBySoname.get(n);
                if (dep != null && !dep.equals(file) && !needs.contains(dep)) {
                    needs.add(dep);
                }
            }
            Path f = dir.resolve(file);
            boolean plain = elf.soname != null && !elf.soname.contains("/") && !elf.soname.startsWith(".");
            out.add(new NativeIndex.Entry(file, Sha256.of(f), Files.size(f), plain ? elf.soname : null, plain ? elf.soname : file, needs));
        }
        return out;
    }

    /** The index entries of a bundle written to {@code dir}, in input order. */
    static List<NativeIndex.Entry> entries(BundleReport report, Path dir) throws IOException {
        Map<String, String> fileBySoname = new TreeMap<>();
        for (Report r : report.members()) {
            if (r.newSoname() != null) {
                fileBySoname.put(r.newSoname(), r.output().getFileName().toString());
            }
        }
        List<NativeIndex.Entry> out = new ArrayList<>();
        for (Report r : report.members()) {
            String file = r.output().getFileName().toString();
            Path f = dir.resolve(file);
            List<String> needs = new ArrayList<>();
            for (String n : r.links().needed().values()) {
                String dep = fileBySoname.get(n);
                if (dep != null) {
                    needs.add(dep);
                }
            }
            String original = r.originalName();
            out.add(new NativeIndex.Entry(file, Sha256.of(f), Files.size(f), r.newSoname(), original, needs));
        }
        return out;
    }

    private static boolean upToDate(Path fpFile, String fingerprint, Set<String> platforms, Options o) throws IOException {
        if (!Files.isRegularFile(fpFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(fpFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(fingerprint)) {
            return false;
        }
        for (String p : platforms) {
            Path index = o.nativeDir().resolve(p).resolve(NativeIndex.FILE_NAME);
            if (!Files.isRegularFile(index)) {
                return false;
            }
            for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                if (NativeIndex.isMember(line)) {
                    String[] f = line.split("\t");
                    Path lib = o.nativeDir().resolve(p).resolve(f[0]);
                    if (!Files.isRegularFile(lib) || !Sha256.of(lib).equals(f[1])) {
                        return false; // someone changed or removed an output: do the work again
                    }
                }
            }
        }
        return true;
    }

    /**
     * What a run that finds nothing changed can compare without reading a byte of a library (or loading SHA-256,
     * which the Maven JVM has not used yet): the options, then the path, size and modification time of every input and
     * of every file placed under nativeDir. Written after a run placed its outputs or found their contents unchanged;
     * any difference sends the next run to the contents ({@link #fingerprint} and the index's SHA-256s).
     */
    static String statKey(Map<String, List<Path>> byPlatform, Options o) throws IOException {
        StringBuilder sb = options(o);
        for (var e : byPlatform.entrySet()) {
            for (Path in : e.getValue()) {
                sb.append("in ").append(e.getKey()).append(' ').append(in.toAbsolutePath()).append(' ').append(stat(in)).append('\n');
            }
            Path dir = o.nativeDir().resolve(e.getKey());
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path f : s.sorted().toList()) {
                        sb.append("out ").append(e.getKey()).append(' ').append(f.getFileName()).append(' ').append(stat(f)).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String stat(Path f) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return a.size() + " " + a.lastModifiedTime();
    }

    /** SHA-256 over the plugin version, every option, and each input's name and content, per platform. */
    static String fingerprint(Map<String, List<Path>> byPlatform, Options o) throws IOException {
        StringBuilder sb = options(o);
        for (var e : byPlatform.entrySet()) {
            for (Path in : e.getValue()) {
                sb.append(e.getKey()).append(' ').append(in.getFileName()).append(' ').append(Sha256.of(in)).append('\n');
            }
        }
        return Sha256.of(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static StringBuilder options(Options o) {
        StringBuilder sb = new StringBuilder();
        sb.append("plugin=").append(o.pluginVersion()).append('\n');
        sb.append("prefix=").append(o.prefix()).append('\n');
        sb.append("excludes=").append(o.excludes()).append('\n');
        sb.append("werror=").append(o.werror()).append('\n');
        sb.append("allowed=").append(new TreeSet<>(o.allowed().stream().map(WarningCategory::id).toList())).append('\n');
        sb.append("sonames=").append(new TreeMap<>(o.sonames())).append('\n');
        sb.append("names=").append(new TreeMap<>(o.names())).append('\n');
        sb.append("runpath=").append(o.runpath()).append('\n');
        sb.append("nativeDir=").append(o.nativeDir().toAbsolutePath()).append('\n');
        if (!NativeIndex.RENAME.equals(o.mode())) { // only then: a rename build's fingerprint stays what it was
            sb.append("mode=").append(o.mode()).append('\n');
        }
        if (o.merge() && (!o.keep().isEmpty() || o.keepAll())) { // likewise: a merge without them keeps its fingerprint
            sb.append("keep=").append(new TreeSet<>(o.keep())).append('\n');
            sb.append("keepAll=").append(o.keepAll()).append('\n');
        }
        return sb;
    }

    /**
     * Gives the placed files modes of their own, whatever the umask and the inputs' modes: maven-jar-plugin
     * (plexus-archiver) records each file's mode from disk, so under another umask the main jar would differ.
     * Libraries {@code rwxr-xr-x} as a linker writes them, the index {@code rw-r--r--}, directories
     * {@code rwxr-xr-x}.
     */
    static void fixModes(Path nativeDir, Path platformDir) throws IOException {
        if (!Files.getFileStore(platformDir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Files.setPosixFilePermissions(nativeDir, DIR_MODE);
        Files.setPosixFilePermissions(platformDir, DIR_MODE);
        try (Stream<Path> s = Files.list(platformDir)) {
            for (Path f : s.toList()) {
                Files.setPosixFilePermissions(f, f.getFileName().toString().equals(NativeIndex.FILE_NAME) ? DATA_MODE : LIBRARY_MODE);
            }
        }
    }

    private static Path fresh(Path dir) throws IOException {
        deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** Replaces {@code target} by {@code staged} (a rename within one directory). */
    private static void replaceDir(Path staged, Path target) throws IOException {
        deleteTree(target);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
