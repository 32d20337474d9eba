package dev.isolate.engine;

import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.Setting;
import dev.isolate.engine.policy.WarningCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One isolation: the input library, where the output goes, and the options.
 *
 * @param soname   the new SONAME, or null for the default: the prefix inserted after {@code lib} in the SONAME (in
 *                 the file name when it has none or one that is no plain library file name); a JNI library keeps its own
 * @param excludes globs of export names to keep
 * @param werror   make every warning fatal, except the {@code allowed} categories
 * @param name     the link name N of the artifacts for native consumers ({@code -lN}), or null for the
 *                 default: the old SONAME without {@code lib} and {@code .so...} ({@code libzstd.so.1} -> {@code zstd});
 *                 a JNI library gets artifacts only when it is given
 */
public record IsolateRequest(Path input, Path outputDir, String prefix, String soname, List<String> excludes,
        boolean werror, Set<WarningCategory> allowed, String name) {

    private static final Pattern C_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public IsolateRequest {
        excludes = List.copyOf(excludes);
        allowed = Set.copyOf(allowed);
        validatePrefix(prefix);
        if (soname != null && !isPlainFileName(soname)) {
            throw new IsolateException(Setting.SONAME.token() + " '" + soname + "' must be a plain file name");
        }
        if (name != null && !ArtifactNames.VALID_NAME.matcher(name).matches()) {
            throw new IsolateException(Setting.LINK_NAME.token() + " '" + name + "' must be a link name (" + ArtifactNames.VALID_NAME.pattern()
                    + "), as in -l" + "NAME");
        }
    }

    /** Without a link name: the default one, derived from the SONAME. */
    public IsolateRequest(Path input, Path outputDir, String prefix, String soname, List<String> excludes, boolean werror,
            Set<WarningCategory> allowed) {
        this(input, outputDir, prefix, soname, excludes, werror, allowed, null);
    }

    /** A name the output can be written under in one directory: no '/', no NUL, not '.' or '..'. */
    public static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    /**
     * The file name whose bytes on disk are exactly the SONAME's bytes ({@code soname} holds one char per
     * byte, as read from {@code .dynstr}), or null when this JVM's file-name encoding cannot spell them:
     * a loader finds a library by its SONAME, so the two must agree byte for byte.
     */
    public static String fileNameFor(String soname) {
        byte[] raw = soname.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.charset.Charset fs;
        try {
            fs = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            fs = java.nio.charset.StandardCharsets.UTF_8;
        }
        String name = new String(raw, fs);
        return java.util.Arrays.equals(name.getBytes(fs), raw) ? name : null;
    }

    public static void validatePrefix(String prefix) {
        if (prefix == null || !C_PREFIX.matcher(prefix).matches()) {
            throw new IsolateException("prefix '" + prefix + "' must be a C identifier prefix ([A-Za-z_][A-Za-z0-9_]*), e.g. acme_");
        }
    }

}
