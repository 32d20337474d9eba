package dev.isolate.loader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Extracts a bundle into {@code <base>/<platform>/<index hash>/}, so two versions of a bundle never share a
 * directory. Under a lock (a JVM-wide monitor, then a {@link java.nio.channels.FileLock} on {@code .lock} for other processes)
 * every member is either found intact (size and SHA-256 as the index says) or written to a temporary name,
 * checked, and moved into place atomically: no process ever sees a half-written library, and a file damaged or
 * replaced on disk is written again, never loaded.
 */
final class Extractor {
    private Extractor() {}

    private static final String LOCK_FILE = ".lock";
    private static final String TMP_SUFFIX = ".tmp";
    /** FileLock is per process: threads of one JVM must also exclude each other, per directory. */
    private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    /** The directory cannot hold the bundle (not creatable, not writable, noexec, not lockable): try the next one. */
    static final class UnusableDirectory extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableDirectory(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The bundle's directory and the files this call wrote (empty when all were already there and intact). */
    record Outcome(Path directory, List<Path> extracted) {}

    static Path directory(Path base, String platform, NativeIndex index) {
        return base.resolve(platform).resolve(index.sha256.substring(0, 32));
    }

    static Outcome extract(NativeIndex index, URL indexUrl, Path base, String platform) throws UnusableDirectory {
        Path dir = directory(base, platform, index);
        List<Path> created = missing(dir);
        if (!created.isEmpty()) {
            // What does not exist yet would be on the mount of its nearest existing ancestor: a noexec one is
            // refused before anything is created on it, so falling back leaves no directories behind.
            checkMount(dir, created.get(created.size() - 1).getParent());
        }
        try {
            createDirectories(dir);
            checkUsable(dir);
        } catch (IOException | UnusableDirectory e) {
            removeEmpty(created);
            throw e instanceof UnusableDirectory u ? u : new UnusableDirectory("cannot create " + dir + ": " + e);
        }
        synchronized (JVM_LOCKS.computeIfAbsent(dir, d -> new Object())) {
            FileChannel lockFile;
            try {
                lockFile = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                return readOnly(index, dir, e);
            }
            try (lockFile) {
                lockFile.lock(); // held until the channel is closed
                removeLeftovers(dir);
                List<Path> extracted = new ArrayList<>();
                for (NativeIndex.Member m : index.members) {
                    Path target = dir.resolve(m.file());
                    Optional<String> problem = verify(target, m);
                    if (problem.isEmpty()) {
                        continue;
                    }
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        log().log(Level.WARNING, "replacing {0}: {1}", target, problem.get());
                    }
                    write(new URL(indexUrl, m.file()), index, m, dir, target);
                    extracted.add(target);
                }
                return new Outcome(dir, List.copyOf(extracted));
            } catch (IOException e) {
                throw new UnusableDirectory("cannot extract into " + dir + ": " + e);
            }
        }
    }

    /** Looked up when needed: creating the first logger costs a JVM about 30 ms, and most loads log nothing. */
    private static System.Logger log() {
        return System.getLogger(NativeLoader.LOGGER);
    }

    /**
     * A directory this process cannot write (a cache filled when a container image was built, then mounted read-only)
     * is used as it is when every file in it is intact: nobody can be writing it, so no lock is needed.
     */
    private static Outcome readOnly(NativeIndex index, Path dir, IOException why) throws UnusableDirectory {
        for (NativeIndex.Member m : index.members) {
            Optional<String> problem = verify(dir.resolve(m.file()), m);
            if (problem.isPresent()) {
                throw new UnusableDirectory("cannot write in " + dir + " (" + why + ") and " + m.file() + " there is " + problem.get());
            }
        }
        return new Outcome(dir, List.of());
    }

    /**
     * Owner-only directories where they are created (what the XDG spec asks of a cache, and what a per-user
     * directory in a shared /tmp needs).
     */
    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        try {
            Files.createDirectories(dir, ownerOnly);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * A directory another user can write to would let a library be replaced between its check and its load; one on
     * a noexec mount cannot hold a loadable library at all.
     */
    static void checkUsable(Path dir) throws UnusableDirectory {
        checkMount(dir, dir);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new UnusableDirectory(dir + " is writable by other users (" + PosixFilePermissions.toString(perms)
                        + "): a library could be replaced between its check and its load");
            }
            Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(self)) {
                throw new UnusableDirectory(dir + " belongs to uid " + owner + ", not to this process's uid " + self);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX attributes or no /proc: nothing more to check
        }
    }

    /** Refuses {@code dir} when {@code existing} (itself or its nearest existing ancestor) is on a noexec mount. */
    private static void checkMount(Path dir, Path existing) throws UnusableDirectory {
        Optional<Mounts.Mount> mount = Mounts.of(existing);
        if (mount.isPresent() && mount.get().noexec()) {
            throw new UnusableDirectory(dir + " is on a noexec mount " + mount.get().describe()
                    + ", where shared libraries cannot be mapped executable");
        }
    }

    /** {@code dir} and those of its ancestors that do not exist, deepest first. */
    private static List<Path> missing(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            out.add(p);
        }
        return out;
    }

    /** Removes the directories this call created for a location it then refused, deepest first, if still empty. */
    private static void removeEmpty(List<Path> created) {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) { // not empty (another process uses it) or not ours to remove: leave it
                return;
            }
        }
    }

    /** Temporary files of an extraction that died: safe to delete, the lock is held. */
    private static void removeLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "." + "*" + TMP_SUFFIX)) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Empty when {@code file} is a regular file with the member's size and SHA-256; else what is wrong. */
    static Optional<String> verify(Path file, NativeIndex.Member m) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "not a regular file" : "missing");
        }
        try {
            long size = Files.size(file);
            if (size != m.size()) {
                return Optional.of(size + " bytes, the index says " + m.size());
            }
            String sha = sha256(file);
            if (!sha.equals(m.sha256())) {
                return Optional.of("sha256 " + sha + ", the index says " + m.sha256());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("unreadable (" + e + ")");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = NativeIndex.digest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                md.update(buf.flip());
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Temporary name, hash checked while writing, synced, read-only, then renamed over {@code target}. */
    private static void write(URL resource, NativeIndex index, NativeIndex.Member m, Path dir, Path target) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + m.file() + ".", TMP_SUFFIX);
        try {
            MessageDigest md = NativeIndex.digest();
            long size = 0;
            try (InputStream in = open(resource, index, m);
                    FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = read(in, buf, resource)) > 0;) {
                    md.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    size += n;
                }
                out.force(true);
            }
            String sha = HexFormat.of().formatHex(md.digest());
            if (size != m.size() || !sha.equals(m.sha256())) {
                throw new NativeLoadError(resource + " has " + size + " bytes, sha256 " + sha + "; " + index.resource + ":" + m.line()
                        + " says " + m.size() + " bytes, sha256 " + m.sha256()
                        + ": the jar was changed after isolation or is corrupt; not loading it");
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default mode will do
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log().log(Level.DEBUG, "extracted {0} ({1} bytes)", target, size);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int read(InputStream in, byte[] buf, URL resource) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new NativeLoadError("cannot read " + resource + ": " + e);
        }
    }

    private static InputStream open(URL resource, NativeIndex index, NativeIndex.Member m) {
        try {
            return resource.openStream();
        } catch (IOException e) {
            throw new NativeLoadError("cannot read " + resource + " (listed on " + index.resource + ":" + m.line() + "): " + e);
        }
    }
}
