package dev.isolate.engine;

import dev.isolate.engine.policy.WarningCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One isolation: the input library, where the output goes, and the options.
 *
 * @param soname   the new SONAME, or null for the default (the prefix inserted after {@code lib})
 * @param excludes globs of export names to keep
 * @param werror   make every warning fatal, except the {@code allowed} categories
 */
public record IsolateRequest(Path input, Path outputDir, String prefix, String soname, List<String> excludes,
        boolean werror, Set<WarningCategory> allowed) {

    private static final Pattern C_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public IsolateRequest {
        excludes = List.copyOf(excludes);
        allowed = Set.copyOf(allowed);
        validatePrefix(prefix);
        if (soname != null && (soname.isEmpty() || soname.contains("/") || soname.indexOf('\0') >= 0)) {
            throw new IsolateException("--soname '" + soname + "' must be a plain file name");
        }
    }

    public static void validatePrefix(String prefix) {
        if (prefix == null || !C_PREFIX.matcher(prefix).matches()) {
            throw new IsolateException("prefix '" + prefix + "' must be a C identifier prefix ([A-Za-z_][A-Za-z0-9_]*), e.g. acme_");
        }
    }

    /** {@code libzstd.so.1} -> {@code libacme_zstd.so.1}; a name without {@code lib} gets the prefix in front. */
    public static String defaultSoname(String oldSoname, String prefix) {
        return oldSoname.startsWith("lib") ? "lib" + prefix + oldSoname.substring(3) : prefix + oldSoname;
    }
}
