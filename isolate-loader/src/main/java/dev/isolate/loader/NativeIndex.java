package dev.isolate.loader;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code native/<platform>/isolate.index}, the bundle's table of contents written by the isolate plugin (format:
 * docs/index-format.md). UTF-8 text; the first line is the magic and version, in version 2 the second line says how
 * the bundle is loaded ({@code mode<TAB>rename|segregate}), {@code #} lines are comments, then
 * one member a line, tab-separated: {@code file sha256 size soname original needs}, dependencies first. Parsing
 * is strict because the fields become file names on disk and the order becomes the {@code System.load} order:
 * every problem is a {@link NativeLoadError} naming the resource and the line.
 */
final class NativeIndex {
    static final String FILE_NAME = "isolate.index";
    static final String MAGIC = "# isolate native index ";
    /** Version 1: renamed libraries, loaded with {@code System.load}. Version 2 adds the {@code mode} line. */
    static final int VERSION = 2;
    static final String MODE = "mode\t";
    /** How the loader loads the bundle; version 1 indexes are {@link #RENAME}. */
    static final String RENAME = "rename";
    /** Unmodified libraries, loaded into their own link-map namespace ({@code dlmopen}): see docs/loader.md. */
    static final String SEGREGATE = "segregate";
    /** Written for an empty soname or needs field. */
    static final String NONE = "-";
    /** Linux's NAME_MAX, in bytes. */
    private static final int NAME_MAX = 255;

    /**
     * One library of the bundle. {@code file} is its resource name beside the index and its name on disk;
     * {@code soname} its {@code DT_SONAME} (null when it has none); {@code original} its file name before isolation;
     * {@code needs} the members it needs ({@code DT_NEEDED}), by file name.
     */
    record Member(int line, String file, String sha256, long size, String soname, String original, List<String> needs) {}

    final String resource;
    /** {@link #RENAME} or {@link #SEGREGATE}. */
    final String mode;
    final List<Member> members;
    /** SHA-256 of the index bytes: names the extraction directory, so two versions of a bundle never mix. */
    final String sha256;

    private NativeIndex(String resource, String mode, List<Member> members, String sha256) {
        this.resource = resource;
        this.mode = mode;
        this.members = members;
        this.sha256 = sha256;
    }

    static NativeIndex parse(String resource, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NativeLoadError(resource + ": not valid UTF-8 (" + e.getMessage() + ")");
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the final line end
        }
        String first = lines.get(0);
        if (!first.startsWith(MAGIC)) {
            throw new NativeLoadError(resource + ":1: not an isolate index (the first line must be '" + MAGIC + "1' or '" + MAGIC + VERSION + "')");
        }
        String version = first.substring(MAGIC.length());
        if (!version.equals("1") && !version.equals("2")) {
            throw new NativeLoadError(resource + ":1: index version '" + version
                    + "' is not supported: this isolate-loader reads versions 1 and " + VERSION
                    + "; use the isolate-loader of the plugin version that wrote the bundle");
        }
        String mode = RENAME;
        int start = 1;
        if (version.equals("2")) {
            String second = lines.size() > 1 ? lines.get(1) : "";
            if (!second.equals(MODE + RENAME) && !second.equals(MODE + SEGREGATE)) {
                throw new NativeLoadError(resource + ":2: expected 'mode<TAB>rename' or 'mode<TAB>segregate' after the version 2 line, found '"
                        + printable(second) + "'");
            }
            mode = second.substring(MODE.length());
            start = 2;
        }
        List<Member> members = new ArrayList<>();
        Map<String, Member> byFile = new HashMap<>();
        Map<String, Member> bySoname = new HashMap<>();
        for (int i = start; i < lines.size(); i++) {
            String line = lines.get(i);
            int n = i + 1;
            if (line.startsWith("#")) {
                continue;
            }
            Member m = member(resource, n, line);
            Member dup = byFile.putIfAbsent(m.file(), m);
            if (dup != null) {
                throw error(resource, n, "file '" + m.file() + "' is already listed on line " + dup.line());
            }
            if (m.soname() != null) {
                Member same = bySoname.putIfAbsent(m.soname(), m);
                if (same != null) {
                    throw error(resource, n, "soname '" + m.soname() + "' is already the soname of '" + same.file() + "' (line "
                            + same.line() + "): the dynamic loader would take one for the other");
                }
            }
            members.add(m);
        }
        if (members.isEmpty()) {
            throw new NativeLoadError(resource + ": the index lists no libraries");
        }
        checkNeeds(resource, members, byFile);
        return new NativeIndex(resource, mode, List.copyOf(members), sha256(bytes));
    }

    private static Member member(String resource, int n, String line) {
        if (line.indexOf('\r') >= 0) {
            throw error(resource, n, "carriage return in the line (the index uses LF line ends only)");
        }
        if (line.isEmpty()) {
            throw error(resource, n, "empty line (expected file, sha256, size, soname, original, needs separated by tabs)");
        }
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw error(resource, n, f.length + " tab-separated fields, expected 6 (file, sha256, size, soname, original, needs)");
        }
        String file = name(resource, n, "file", f[0]);
        if (file.equals(FILE_NAME)) {
            throw error(resource, n, "file '" + file + "' is the index's own name");
        }
        if (!file.matches("[A-Za-z0-9._+-]+")) {
            // It is resolved as a URL beside the index, where '%', '#', '?' or ':' would change its meaning.
            throw error(resource, n, "bad file '" + printable(file) + "': only letters, digits and . _ + - are allowed");
        }
        String sha = f[1];
        if (!sha.matches("[0-9a-f]{64}")) {
            throw error(resource, n, "bad sha256 '" + sha + "' of '" + file + "' (expected 64 lowercase hex digits)");
        }
        if (!f[2].matches("[0-9]{1,18}")) {
            throw error(resource, n, "bad size '" + f[2] + "' of '" + file + "' (expected a decimal byte count)");
        }
        long size = Long.parseLong(f[2]);
        String soname = f[3].equals(NONE) ? null : name(resource, n, "soname", f[3]);
        String original = name(resource, n, "original", f[4]);
        List<String> needs = new ArrayList<>();
        if (!f[5].equals(NONE)) {
            for (String need : f[5].split(",", -1)) {
                name(resource, n, "needs", need);
                if (needs.contains(need)) {
                    throw error(resource, n, "'" + file + "' needs '" + need + "' twice");
                }
                needs.add(need);
            }
        }
        return new Member(n, file, sha, size, soname, original, List.copyOf(needs));
    }

    /** A plain file name: no directory part, nothing the loader reserves ({@code .} starts its temporary files). */
    private static String name(String resource, int n, String field, String value) {
        String why = null;
        if (value.isEmpty()) {
            why = "is empty";
        } else if (value.equals(".") || value.equals("..")) {
            why = "is not a file name";
        } else if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            why = "contains a path separator";
        } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            why = "contains a control character or NUL";
        } else if (value.startsWith(".")) {
            why = "starts with '.' (reserved for the loader's temporary files)";
        } else if (value.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            why = "is longer than " + NAME_MAX + " bytes";
        }
        if (why != null) {
            throw error(resource, n, "bad " + field + " '" + printable(value) + "': " + why);
        }
        return value;
    }

    /**
     * Every need must be a member listed earlier: the index order is the load order, so a dependency listed later
     * would be loaded after the library that needs it. A cycle is reported as such first, since reordering cannot
     * fix it.
     */
    private static void checkNeeds(String resource, List<Member> members, Map<String, Member> byFile) {
        for (Member m : members) {
            for (String need : m.needs()) {
                if (!byFile.containsKey(need)) {
                    throw error(resource, m.line(), "'" + m.file() + "' needs '" + need + "', which is not a member of the index");
                }
            }
        }
        Set<String> done = new LinkedHashSet<>();
        for (Member m : members) {
            List<String> cycle = cycleFrom(m, byFile, new ArrayList<>(), done);
            if (cycle != null) {
                throw error(resource, m.line(), "dependency cycle " + String.join(" -> ", cycle));
            }
        }
        Map<String, Integer> position = new HashMap<>();
        for (Member m : members) {
            for (String need : m.needs()) {
                if (!position.containsKey(need)) {
                    throw error(resource, m.line(), "'" + m.file() + "' needs '" + need + "', which is listed after it (line "
                            + byFile.get(need).line() + "): members are listed dependencies first");
                }
            }
            position.put(m.file(), m.line());
        }
    }

    /** Depth-first search; returns the cycle through {@code path} as file names, or null. */
    private static List<String> cycleFrom(Member m, Map<String, Member> byFile, List<String> path, Set<String> done) {
        if (done.contains(m.file())) {
            return null;
        }
        int at = path.indexOf(m.file());
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(m.file());
            return cycle;
        }
        path.add(m.file());
        for (String need : m.needs()) {
            List<String> c = cycleFrom(byFile.get(need), byFile, path, done);
            if (c != null) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        done.add(m.file());
        return null;
    }

    /** {@code target}'s transitive needs in index order, then {@code target}: the order to load them in. */
    List<Member> loadOrder(Member target) {
        Set<String> wanted = new LinkedHashSet<>();
        collect(target, wanted);
        return members.stream().filter(m -> wanted.contains(m.file())).toList();
    }

    private void collect(Member m, Set<String> wanted) {
        if (wanted.add(m.file())) {
            for (String need : m.needs()) {
                collect(member(need), wanted);
            }
        }
    }

    Member member(String file) {
        for (Member m : members) {
            if (m.file().equals(file)) {
                return m;
            }
        }
        throw new IllegalArgumentException(file);
    }

    /**
     * How well {@code name} names {@code m}, over its three names (file, soname, original):
     * 3 exactly; 2 as {@code lib<name>.so} or {@code lib<name>.so.<anything>}; 1 as {@code lib<name>-<version>.so}
     * (or {@code .so.<anything>} after it), where the version starts with a digit; 0 not at all. The last form is
     * how JNI libraries carry their release ({@code libzstd-jni-1.5.7-21.so}, {@code libjffi-1.2.so}): the code that
     * loads them names the library, not the release. The version must start with a digit so that {@code zstd}
     * does not name {@code libzstd-jni-1.5.7-21.so}.
     */
    static int match(Member m, String name) {
        int best = 0;
        for (String candidate : new String[] {m.file(), m.soname(), m.original()}) {
            if (candidate == null) {
                continue;
            }
            if (candidate.equals(name)) {
                return 3;
            }
            String lib = "lib" + name + ".so";
            if (candidate.equals(lib) || candidate.startsWith(lib + ".")) {
                best = 2;
            } else if (best == 0 && versioned(candidate, "lib" + name + "-")) {
                best = 1;
            }
        }
        return best;
    }

    /** {@code candidate} is {@code <stem><digit>...so} or {@code <stem><digit>....so.<anything>}. */
    private static boolean versioned(String candidate, String stem) {
        if (!candidate.startsWith(stem) || candidate.length() == stem.length()
                || !Character.isDigit(candidate.charAt(stem.length()))) {
            return false;
        }
        String rest = candidate.substring(stem.length());
        return rest.endsWith(".so") || rest.contains(".so.");
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }

    private static NativeLoadError error(String resource, int line, String message) {
        return new NativeLoadError(resource + ":" + line + ": " + message);
    }
}
