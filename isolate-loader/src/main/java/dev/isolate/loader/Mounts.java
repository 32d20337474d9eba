package dev.isolate.loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The mount a directory is on, from {@code /proc/self/mountinfo} (proc(5)), to tell a {@code noexec} mount before
 * {@code dlopen} fails on it with "failed to map segment from shared object". A line reads
 * {@code id parent major:minor root mount-point mount-options [optional...] - fstype source super-options};
 * {@code noexec} is a per-mount option, so only the mount options are looked at. Spaces, tabs, newlines and
 * backslashes in paths are written as octal escapes ({@code \040}).
 */
final class Mounts {
    private Mounts() {}

    static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    record Mount(String mountPoint, String fsType, String source, List<String> options) {
        boolean noexec() {
            return options.contains("noexec");
        }

        /** For messages: {@code /tmp (tmpfs tmpfs, rw,nosuid,nodev,noexec)}. */
        String describe() {
            return mountPoint + " (" + fsType + " " + source + ", " + String.join(",", options) + ")";
        }
    }

    /** The mount holding {@code dir}, or empty when mountinfo cannot be read (not Linux, no /proc). */
    static Optional<Mount> of(Path dir) {
        try {
            return of(dir.toRealPath(), Files.readString(MOUNTINFO, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The mount whose mount point is the longest prefix of {@code realDir}; for mounts stacked on one mount point
     * the last line, which is the one on top.
     */
    static Optional<Mount> of(Path realDir, String mountinfo) {
        Mount best = null;
        int bestDepth = -1;
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 6 || dash + 2 >= f.length) {
                continue; // not a line this parser understands; ignoring it can only miss a mount, never invent one
            }
            Path point = Path.of(unescape(f[4]));
            if (!realDir.startsWith(point)) {
                continue;
            }
            int depth = point.getNameCount();
            if (depth >= bestDepth) {
                best = new Mount(point.toString(), unescape(f[dash + 1]), unescape(f[dash + 2]), List.of(f[5].split(",")));
                bestDepth = depth;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Undoes the kernel's octal escapes ({@code \040} for a space). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
