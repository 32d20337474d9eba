package dev.isolate.maven.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code native/<platform>/isolate.index}: the members of one platform's bundle in load order, so a loader
 * never guesses (format: docs/index-format.md). One line a member:
 * {@code file TAB sha256 TAB size TAB soname TAB original TAB needs}, dependencies before dependents.
 */
public final class NativeIndex {
    public static final String FILE_NAME = "isolate.index";
    static final String MAGIC = "# isolate native index 1";
    /** A segregate bundle's index: version 2, whose second line says how the loader loads it. */
    static final String MAGIC_2 = "# isolate native index 2";
    /** The libraries are renamed and loaded with System.load: version 1, byte for byte as before modes existed. */
    public static final String RENAME = "rename";
    /** The libraries are unmodified and loaded into their own link-map namespace (dlmopen): version 2, mode line. */
    public static final String SEGREGATE = "segregate";
    /**
     * The JNI library and the libraries it bundles merged into one file, loaded with System.load as a renamed member
     * is: version 1, the loader needs nothing new.
     */
    public static final String MERGE = "merge";
    public static final List<String> MODES = List.of(RENAME, SEGREGATE, MERGE);

    /**
     * One isolated library.
     *
     * @param soname   its SONAME ("-" when it has none)
     * @param original its SONAME (or file name) before isolation
     * @param needs    file names of the members it needs (DT_NEEDED within the bundle)
     */
    public record Entry(String file, String sha256, long size, String soname, String original, List<String> needs) {}

    private NativeIndex() {}

    /**
     * Orders the members so each comes after the members it needs, keeping the given order where the graph
     * leaves it free. A cycle (legal in ELF) is broken at the member listed first; the edge that closes it is
     * dropped from {@code needs}: that member finds the other through DT_RUNPATH $ORIGIN when it loads.
     */
    public static List<Entry> loadOrder(List<Entry> members) {
        Map<String, Entry> byFile = new HashMap<>();
        for (Entry e : members) {
            byFile.put(e.file(), e);
        }
        Set<String> placed = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        List<Entry> out = new ArrayList<>();
        for (Entry e : members) {
            visit(e, byFile, placed, visiting, out);
        }
        return out;
    }

    private static void visit(Entry e, Map<String, Entry> byFile, Set<String> placed, Set<String> visiting, List<Entry> out) {
        if (placed.contains(e.file()) || visiting.contains(e.file())) {
            return;
        }
        visiting.add(e.file());
        List<String> kept = new ArrayList<>();
        for (String n : e.needs()) {
            Entry dep = byFile.get(n);
            if (dep == null || visiting.contains(n)) {
                continue; // not a member, or the edge that closes a cycle
            }
            visit(dep, byFile, placed, visiting, out);
            kept.add(n);
        }
        visiting.remove(e.file());
        placed.add(e.file());
        out.add(new Entry(e.file(), e.sha256(), e.size(), e.soname(), e.original(), List.copyOf(kept)));
    }

    public static String format(List<Entry> ordered) {
        return format(ordered, RENAME);
    }

    /**
     * {@code mode} {@link #RENAME} (or {@link #MERGE}) writes version 1, as before modes existed (the same bytes, so the same extraction
     * directory); {@link #SEGREGATE} writes version 2 with the line {@code mode<TAB>segregate}, which a loader that
     * only knows version 1 refuses instead of loading unrenamed libraries into the process's namespace.
     */
    public static String format(List<Entry> ordered, String mode) {
        StringBuilder sb = new StringBuilder(!mode.equals(SEGREGATE) ? MAGIC : MAGIC_2 + "\nmode\t" + mode).append('\n');
        sb.append("# file\tsha256\tsize\tsoname\toriginal\tneeds\n");
        for (Entry e : ordered) {
            sb.append(e.file()).append('\t').append(e.sha256()).append('\t').append(e.size()).append('\t')
                    .append(e.soname() == null ? "-" : e.soname()).append('\t').append(e.original()).append('\t')
                    .append(e.needs().isEmpty() ? "-" : String.join(",", e.needs())).append('\n');
        }
        return sb.toString();
    }

    public static void write(Path dir, List<Entry> ordered, String mode) throws IOException {
        Files.write(dir.resolve(FILE_NAME), format(ordered, mode).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether an index line is a member line (not the magic, a comment or version 2's mode line). */
    static boolean isMember(String line) {
        return !line.startsWith("#") && !line.isBlank() && !line.startsWith("mode\t");
    }
}
