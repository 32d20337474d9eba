package dev.isolate.maven.core;

import dev.isolate.engine.elf.ElfBytes;
import dev.isolate.engine.machine.Machine;
import dev.isolate.maven.core.LibraryPlatform.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Chooses the libraries of a jar or zip and copies them out, safely.
 *
 * <p><b>Which entries.</b> With no patterns, every entry (but {@code *.class}) is judged from its bytes by
 * {@link LibraryPlatform}, whatever its path: the ELF shared objects for a platform the plugin packages
 * are taken, and every other native file (Mach-O, PE, other machines, other systems, musl) is skipped and
 * reported with the reason. With patterns ({@code <includes>}), the entries they match are taken as the
 * user named them: each must be an ELF shared object of a packaged machine (anything else is an error
 * naming it), and one that shows another system or C library is taken with a warning.
 *
 * <p><b>Where.</b> A taken entry lands in {@code <into>/<platform>/<file name>}. Two taken entries with one
 * file name for one platform are an error naming both, never a silent overwrite; one name for two
 * platforms is fine (zstd-jni's {@code linux/amd64/} and {@code linux/aarch64/} libraries).
 *
 * <p><b>Safely.</b> A taken entry name that is absolute or climbs out ({@code ..}) is refused, nothing but
 * regular files is ever created (no links, so nothing can point out of the directory), and an entry larger
 * than the limit is refused before its bytes fill the disk. A file already in place with the same bytes is
 * left alone, so an unchanged build rewrites nothing.
 */
public final class ArchiveEntries {
    /** Largest entry copied out: libLLVM is 117 MB; 1 GiB leaves room without letting a zip bomb fill a disk. */
    public static final long MAX_ENTRY = 1L << 30;
    /** The file under {@code <workDirectory>/inputs/} that lists what was taken and skipped, and why. */
    public static final String REPORT = "selection.txt";

    private ArchiveEntries() {}

    /** An entry taken as a library for {@code platform}, copied to {@code file}. */
    public record Taken(String entry, String platform, Path file, Verdict verdict) {}

    /** A native file left out, and why. */
    public record Skipped(String entry, Verdict verdict) {}

    /**
     * What one archive gave.
     *
     * @param warnings entries taken because {@code <includes>} named them although their bytes show another
     *                 system or C library
     */
    public record Selection(Path archive, List<String> includes, List<Taken> taken, List<Skipped> skipped, List<String> warnings) {
        public List<Path> files() {
            return taken.stream().map(Taken::file).toList();
        }

        /** One line per native entry, in entry order: {@code taken linux-x86_64 linux/amd64/libz.so} or {@code skipped e: why}. */
        public List<String> report() {
            Map<String, String> lines = new TreeMap<>();
            for (Taken t : taken) {
                lines.put(t.entry(), "taken   " + t.entry() + " -> " + t.platform() + " (" + t.verdict().what() + ")");
            }
            for (Skipped s : skipped) {
                lines.put(s.entry(), "skipped " + s.entry() + ": " + s.verdict().what() + ": " + s.verdict().why());
            }
            return List.copyOf(lines.values());
        }

        /** {@code linux-x86_64 linux/amd64/libz.so, linux-aarch_64 linux/aarch64/libz.so; 14 other native files skipped}. */
        public String summary() {
            String t = taken.stream().map(x -> x.platform() + " " + x.entry()).collect(Collectors.joining(", "));
            return skipped.isEmpty() ? t : t + "; " + skipped.size() + " other native file" + (skipped.size() == 1 ? "" : "s")
                    + " skipped";
        }
    }

    /**
     * @param includes glob patterns over entry names ({@code **}{@code /*.so}); none: judge every entry by its bytes
     * @param into     where the taken entries go, one folder per platform
     */
    public static Selection select(Path archive, List<String> includes, Path into) throws IOException {
        return select(archive, includes, into, MAX_ENTRY);
    }

    /** {@link #select(Path, List, Path)} with another size limit (the tests use a small one). */
    static Selection select(Path archive, List<String> includes, Path into, long maxEntry) throws IOException {
        String key = memoKey(archive, includes);
        Selection memo = recall(into, key, archive, includes);
        if (memo != null) {
            return memo;
        }
        Files.deleteIfExists(into.resolve(MEMO));
        Selection s = choose(archive, includes, into, maxEntry);
        remember(into, key, s);
        return s;
    }

    private static Selection choose(Path archive, List<String> includes, Path into, long maxEntry) throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String g : includes) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        boolean byPattern = !includes.isEmpty();
        Files.createDirectories(into);
        List<Taken> taken = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Path> parts = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory() && (byPattern ? matches(matchers, archive, e.getName()) : !e.getName().endsWith(".class"))) {
                    entries.add(e);
                }
            }
            entries.sort((x, y) -> x.getName().compareTo(y.getName()));
            for (ZipEntry e : entries) {
                String name = e.getName();
                if (byPattern) { // named by the user: refuse a bad name or size before reading anything
                    safeFileName(archive, name);
                    checkSize(archive, e, maxEntry);
                }
                byte[] head = new byte[LibraryPlatform.HEAD];
                int n;
                try (InputStream in = zip.getInputStream(e)) {
                    n = in.readNBytes(head, 0, head.length);
                }
                Verdict v = LibraryPlatform.sniff(name, head, n);
                if (!LibraryPlatform.mayBePackaged(head, n)) {
                    if (byPattern) {
                        throw new IsolateBuildException(archive + ": entry " + name + " matches " + includes + " but is "
                                + (v == null ? "not a native library" : v.what() + " (" + v.why() + ")")
                                + "; the plugin isolates ELF64 shared objects for " + platforms() + ": narrow the <includes>");
                    }
                    if (v != null) {
                        skipped.add(new Skipped(name, v));
                    }
                    continue;
                }
                // An ELF shared object of a packaged machine: copy it out and judge all of it.
                String file = safeFileName(archive, name);
                checkSize(archive, e, maxEntry);
                Path part = into.resolve(".entry-" + parts.size() + ".part");
                parts.add(part);
                try (InputStream in = zip.getInputStream(e); OutputStream os = Files.newOutputStream(part)) {
                    copyLimited(in, os, archive, name, maxEntry);
                }
                v = judge(part, archive + "!/" + name);
                if (v.packaged()) {
                    taken.add(new Taken(name, v.platform(), part, v));
                } else if (byPattern) {
                    String platform = Machine.of(head[18] & 0xff | (head[19] & 0xff) << 8).platform();
                    taken.add(new Taken(name, platform, part, v));
                    warnings.add(archive + ": " + name + " is " + v.what() + " (" + v.why() + "), taken as " + platform
                            + " because <includes> names it");
                } else {
                    skipped.add(new Skipped(name, v));
                }
            }
            checkUnique(archive, byPattern, taken);
            if (taken.isEmpty()) {
                throw new IsolateBuildException(byPattern ? archive + ": no entry matches " + includes + "; check the <includes>"
                        : noLibrary(archive, skipped));
            }
            // Every check passed: put the taken files in place.
            List<Taken> placed = new ArrayList<>();
            for (Taken t : taken) {
                Path dir = Files.createDirectories(into.resolve(t.platform()));
                Path target = dir.resolve(safeFileName(archive, t.entry()));
                if (Files.isRegularFile(target) && Files.mismatch(t.file(), target) == -1) {
                    Files.delete(t.file()); // same bytes as last time: keep the file (and its time)
                } else {
                    Files.move(t.file(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                placed.add(new Taken(t.entry(), t.platform(), target, t.verdict()));
            }
            return new Selection(archive, List.copyOf(includes), List.copyOf(placed), List.copyOf(skipped), List.copyOf(warnings));
        } catch (ZipException e) {
            throw new IsolateBuildException(archive + ": not a readable jar or zip (" + e.getMessage() + ")");
        } finally {
            for (Path p : parts) { // refused, skipped or unreadable: leave no partial copy behind
                Files.deleteIfExists(p);
            }
        }
    }

    /*
     * The memo. An unchanged build must cost next to nothing, but judging a jar means inflating every
     * candidate library (sqlite-jdbc: eight of 1-2 MB). So the outcome is written to <into>/.selection,
     * keyed by the archive's path, size and time, the patterns and LibraryPlatform.RULES, with the size
     * and time of every file placed; when all of that still holds, the archive is not opened at all.
     * Jars in a Maven repository do not change in place, and a placed file changed or removed behind our
     * back does not match, so the archive is judged again.
     */
    private static final String MEMO = ".selection";

    private static String memoKey(Path archive, List<String> includes) throws IOException {
        return "isolate-selection\t" + LibraryPlatform.RULES + "\t" + archive.toAbsolutePath() + "\t" + Files.size(archive) + "\t"
                + Files.getLastModifiedTime(archive).toMillis() + "\t" + String.join("\0", includes);
    }

    private static Selection recall(Path into, String key, Path archive, List<String> includes) throws IOException {
        Path memo = into.resolve(MEMO);
        if (!Files.isRegularFile(memo)) {
            return null;
        }
        List<String> lines = Files.readAllLines(memo, java.nio.charset.StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(key)) {
            return null;
        }
        List<Taken> taken = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "taken" -> {
                    Path file = into.resolve(f[2]).resolve(safeFileName(archive, f[1]));
                    if (!Files.isRegularFile(file) || Files.size(file) != Long.parseLong(f[3])
                            || Files.getLastModifiedTime(file).toMillis() != Long.parseLong(f[4])) {
                        return null;
                    }
                    taken.add(new Taken(f[1], f[2], file, new Verdict(f[2], f[5], null)));
                }
                case "skipped" -> skipped.add(new Skipped(f[1], new Verdict(null, f[2], f[3])));
                case "warning" -> warnings.add(f[1]);
                default -> {
                    return null;
                }
            }
        }
        return taken.isEmpty() ? null : new Selection(archive, List.copyOf(includes), taken, skipped, warnings);
    }

    private static void remember(Path into, String key, Selection s) throws IOException {
        StringBuilder sb = new StringBuilder(key).append('\n');
        for (Taken t : s.taken()) {
            sb.append(String.join("\t", "taken", t.entry(), t.platform(), String.valueOf(Files.size(t.file())),
                    String.valueOf(Files.getLastModifiedTime(t.file()).toMillis()), t.verdict().what())).append('\n');
        }
        for (Skipped k : s.skipped()) {
            sb.append(String.join("\t", "skipped", k.entry(), k.verdict().what(), k.verdict().why())).append('\n');
        }
        for (String w : s.warnings()) {
            sb.append("warning\t").append(w).append('\n');
        }
        long fields = sb.chars().filter(c -> c == '\t').count();
        long expected = 5 + 5L * s.taken().size() + 3L * s.skipped().size() + s.warnings().size();
        if (fields != expected || sb.chars().filter(c -> c == '\n' || c == '\r').count()
                != 1 + s.taken().size() + s.skipped().size() + s.warnings().size()) {
            return; // a tab or line break in a name: judge the archive every time rather than misread the memo
        }
        Path tmp = into.resolve(MEMO + ".part");
        Files.writeString(tmp, sb, java.nio.charset.StandardCharsets.UTF_8);
        Files.move(tmp, into.resolve(MEMO), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The platforms the plugin packages: {@code linux-x86_64, linux-aarch_64 (glibc or musl)}. */
    public static String platforms() {
        return Arrays.stream(Machine.values()).map(Machine::platform).collect(Collectors.joining(", ")) + " (glibc or musl)";
    }

    static Verdict judge(Path file, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return LibraryPlatform.judge(new ElfBytes(map, name));
        }
    }

    /** Two taken entries that would land on one file of one platform: name them all. */
    private static void checkUnique(Path archive, boolean byPattern, List<Taken> taken) {
        Map<String, List<String>> byTarget = new TreeMap<>();
        for (Taken t : taken) {
            byTarget.computeIfAbsent(t.platform() + "/" + safeFileName(archive, t.entry()), k -> new ArrayList<>()).add(t.entry());
        }
        for (var e : byTarget.entrySet()) {
            List<String> names = e.getValue();
            if (names.size() > 1) {
                String platform = e.getKey().substring(0, e.getKey().indexOf('/'));
                String file = e.getKey().substring(e.getKey().indexOf('/') + 1);
                throw new IsolateBuildException(archive + ": entries " + String.join(", ", names.subList(0, names.size() - 1))
                        + " and " + names.get(names.size() - 1) + " are all " + platform + " libraries named " + file
                        + (byPattern ? "; narrow the <includes>" : "; choose one with <includes>"));
            }
        }
    }

    private static String noLibrary(Path archive, List<Skipped> skipped) {
        StringBuilder sb = new StringBuilder(archive + ": no ELF shared object for " + platforms() + " in it");
        if (skipped.isEmpty()) {
            return sb.append(" (and no other native file either); name the entries with <includes>").toString();
        }
        sb.append("; skipped: ");
        int shown = Math.min(skipped.size(), 8);
        for (int i = 0; i < shown; i++) {
            Skipped s = skipped.get(i);
            sb.append(i == 0 ? "" : "; ").append(s.entry()).append(" (").append(s.verdict().what()).append(')');
        }
        if (shown < skipped.size()) {
            sb.append("; and ").append(skipped.size() - shown).append(" more");
        }
        return sb.toString();
    }

    private static void checkSize(Path archive, ZipEntry e, long maxEntry) {
        if (e.getSize() > maxEntry) {
            throw new IsolateBuildException(archive + ": entry " + e.getName() + " is " + e.getSize() + " bytes, over the "
                    + maxEntry + " byte limit");
        }
    }

    private static boolean matches(List<PathMatcher> matchers, Path archive, String entry) {
        Path p;
        try {
            p = Path.of(entry);
        } catch (InvalidPathException e) { // a NUL in the name: refuse it here, before it escapes as an internal error
            throw new IsolateBuildException(archive + ": entry name '" + entry.replace("\0", "\\0") + "' is not a valid path ("
                    + e.getReason() + "); refused");
        }
        return matchers.stream().anyMatch(m -> m.matches(p));
    }

    /** The entry's file name, after refusing names that are absolute or climb out of the archive. */
    static String safeFileName(Path archive, String entry) {
        String n = entry.replace('\\', '/');
        if (n.contains("\0")) {
            throw new IsolateBuildException(archive + ": entry name '" + entry.replace("\0", "\\0")
                    + "' is not a valid path (a NUL character); refused");
        }
        if (n.startsWith("/") || List.of(n.split("/")).contains("..")) {
            throw new IsolateBuildException(archive + ": entry name '" + entry + "' is absolute or leaves the archive; refused");
        }
        String file = n.substring(n.lastIndexOf('/') + 1);
        if (file.isEmpty() || file.equals(".")) {
            throw new IsolateBuildException(archive + ": entry name '" + entry + "' has no file name");
        }
        return file;
    }

    private static void copyLimited(InputStream in, OutputStream out, Path archive, String name, long maxEntry)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > maxEntry) { // the header's size may lie
                throw new IsolateBuildException(archive + ": entry " + name + " inflates past the " + maxEntry + " byte limit");
            }
            out.write(buf, 0, n);
        }
    }
}
