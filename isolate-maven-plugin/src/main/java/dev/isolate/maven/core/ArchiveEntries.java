package dev.isolate.maven.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Copies the entries of a jar or zip that match glob patterns out into a directory, safely: an entry name
 * that is absolute or climbs out ({@code ..}) is refused, nothing but regular files is ever created (no
 * links, so nothing can point out of the directory), and an entry larger than the limit is refused before
 * its bytes fill the disk. Entries land under their file name alone: two matches with one file name are
 * an error, never a silent overwrite.
 */
public final class ArchiveEntries {
    /** Largest entry copied out: libLLVM is 117 MB; 1 GiB leaves room without letting a zip bomb fill a disk. */
    public static final long MAX_ENTRY = 1L << 30;

    private ArchiveEntries() {}

    /**
     * @param includes glob patterns over entry names ({@code **}{@code /*.so}), none means {@code **}{@code /*.so*}
     * @return the files written, sorted by entry name
     */
    public static List<Path> extract(Path archive, List<String> includes, Path into) throws IOException {
        return extract(archive, includes, into, MAX_ENTRY);
    }

    /** {@link #extract(Path, List, Path)} with another size limit (the tests use a small one). */
    static List<Path> extract(Path archive, List<String> includes, Path into, long maxEntry) throws IOException {
        List<String> globs = includes.isEmpty() ? List.of("**/*.so", "**/*.so.*", "*.so", "*.so.*") : includes;
        List<PathMatcher> matchers = new ArrayList<>();
        for (String g : globs) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        Files.createDirectories(into);
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory() && matches(matchers, archive, e.getName())) {
                    names.add(e.getName());
                }
            }
            names.sort(null);
            Set<String> seen = new HashSet<>();
            List<Path> out = new ArrayList<>();
            for (String name : names) {
                String file = safeFileName(archive, name);
                if (!seen.add(file)) {
                    throw new IsolateBuildException(archive + ": two entries matching " + globs + " are named " + file
                            + "; narrow the <includes>");
                }
                ZipEntry e = zip.getEntry(name);
                if (e.getSize() > maxEntry) {
                    throw new IsolateBuildException(archive + ": entry " + name + " is " + e.getSize() + " bytes, over the "
                            + maxEntry + " byte limit");
                }
                Path target = into.resolve(file);
                Path tmp = into.resolve("." + file + ".part");
                try (InputStream in = zip.getInputStream(e); OutputStream os = Files.newOutputStream(tmp)) {
                    copyLimited(in, os, archive, name, maxEntry);
                } catch (IOException | RuntimeException ex) {
                    Files.deleteIfExists(tmp); // refused or unreadable: leave no partial copy behind
                    throw ex;
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.add(target);
            }
            return out;
        } catch (ZipException e) {
            throw new IsolateBuildException(archive + ": not a readable jar or zip (" + e.getMessage() + ")");
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
        if (n.startsWith("/") || n.contains("\0") || List.of(n.split("/")).contains("..")) {
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
