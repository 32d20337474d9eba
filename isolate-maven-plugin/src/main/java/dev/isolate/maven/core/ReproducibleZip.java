package dev.isolate.maven.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Jars and zips whose bytes depend only on their contents: entries sorted by name, every time set to the
 * build's {@code project.build.outputTimestamp} (or 1980-01-01, the earliest ZIP can store), no extra
 * fields, no file-system permissions or owners. Written to a temporary file and moved into place.
 */
public final class ReproducibleZip {
    /** 1980-01-01T00:00:02Z: the first instant a DOS date can hold (two-second resolution). */
    static final Instant ZIP_EPOCH = Instant.parse("1980-01-01T00:00:02Z");

    private ReproducibleZip() {}

    /**
     * @param entries entry name -> file; directories are added for every parent, as jar tools do
     * @param time    the entry time, or null for {@link #ZIP_EPOCH}
     * @param jar     write a jar (a fixed META-INF/MANIFEST.MF first) rather than a plain zip
     */
    public static void write(Path target, TreeMap<String, Path> entries, Instant time, boolean jar) throws IOException {
        Instant t = time == null || time.isBefore(ZIP_EPOCH) ? ZIP_EPOCH : time;
        FileTime ft = FileTime.from(t);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.createDirectories(target.getParent());
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = jar ? new JarOutputStream(os) : new ZipOutputStream(os)) {
            List<String> names = new ArrayList<>();
            if (jar) {
                Manifest m = new Manifest();
                m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                m.getMainAttributes().putValue("Created-By", "isolate-maven-plugin");
                put(zip, "META-INF/", ft, null);
                ZipEntry me = entry("META-INF/MANIFEST.MF", ft);
                zip.putNextEntry(me);
                m.write(zip);
                zip.closeEntry();
                names.add("META-INF/");
            }
            for (var e : entries.entrySet()) {
                String name = e.getKey();
                for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                    String dir = name.substring(0, i + 1);
                    if (!names.contains(dir)) {
                        put(zip, dir, ft, null);
                        names.add(dir);
                    }
                }
                put(zip, name, ft, e.getValue());
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * {@link #write} unless {@code target} is still what an earlier call with the same arguments wrote: the stamp
     * file records a key over the entry names, each entry file's size and modification time, the time and the kind,
     * and the target's own size and modification time. Only file attributes are read, so an unchanged build costs a
     * few {@code stat}s instead of rewriting the archive (and a target changed or deleted behind our back is written
     * again). Returns whether it wrote.
     */
    public static boolean writeUnlessCurrent(Path target, TreeMap<String, Path> entries, Instant time, boolean jar, Path stamp)
            throws IOException {
        return writeUnlessCurrent(target, entries, String.valueOf(time), () -> time, jar, stamp);
    }

    /**
     * As above, with the time as the build gives it ({@code timeKey}, in the stamp) and parsed only when the archive
     * is written: java.time's parsers, loaded cold, would cost an unchanged build more than the rest of its checks.
     */
    public static boolean writeUnlessCurrent(Path target, TreeMap<String, Path> entries, String timeKey, Supplier<Instant> time,
            boolean jar, Path stamp) throws IOException {
        StringBuilder key = new StringBuilder("jar=").append(jar).append(" time=").append(timeKey).append('\n');
        for (var e : entries.entrySet()) {
            BasicFileAttributes a = Files.readAttributes(e.getValue(), BasicFileAttributes.class);
            key.append(e.getKey()).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime()).append('\n');
        }
        String recorded = Files.isRegularFile(stamp) ? Files.readString(stamp, StandardCharsets.UTF_8) : null;
        if (recorded != null && recorded.equals(key + stampOf(target))) {
            return false;
        }
        Files.deleteIfExists(stamp); // no stamp may outlive an interrupted write
        write(target, entries, time.get(), jar);
        Files.createDirectories(stamp.getParent());
        Files.writeString(stamp, key + stampOf(target), StandardCharsets.UTF_8);
        return true;
    }

    private static String stampOf(Path target) throws IOException {
        if (!Files.isRegularFile(target)) {
            return "missing\n";
        }
        BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
        return "target " + a.size() + " " + a.lastModifiedTime() + "\n";
    }

    private static ZipEntry entry(String name, FileTime ft) {
        ZipEntry z = new ZipEntry(name);
        // setTime would convert through the default time zone (TZ would change the bytes); the DOS field
        // set from the UTC wall-clock time does not, and no extended-timestamp extra field is written.
        z.setTimeLocal(java.time.LocalDateTime.ofInstant(ft.toInstant(), java.time.ZoneOffset.UTC));
        return z;
    }

    private static void put(ZipOutputStream zip, String name, FileTime ft, Path file) throws IOException {
        zip.putNextEntry(entry(name, ft));
        if (file != null) {
            Files.copy(file, zip);
        }
        zip.closeEntry();
    }
}
