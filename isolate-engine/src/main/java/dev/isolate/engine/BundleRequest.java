package dev.isolate.engine;

import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.WarningCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several libraries isolated together under one prefix: a JNI library and the libraries it was linked
 * against. Each member's exports are renamed, and the references between members follow.
 *
 * @param inputs   the member libraries, in the order the report lists them
 * @param sonames  new SONAMEs chosen by the user, keyed by a member's old SONAME or its input file name
 * @param runpath  DT_RUNPATH for every member ({@code $ORIGIN}, so members extracted into one directory
 *                 find each other), or null to leave DT_RUNPATH/DT_RPATH as they are
 * @param names    link names of the members' consumer artifacts ({@code -lN}), keyed like {@code sonames};
 *                 by default derived from the SONAME ({@code libzstd.so.1} -> {@code zstd}); a JNI member gets
 *                 artifacts only when it has an entry here
 */
public record BundleRequest(List<Path> inputs, Path outputDir, String prefix, Map<String, String> sonames,
        List<String> excludes, boolean werror, Set<WarningCategory> allowed, String runpath, Map<String, String> names) {

    /** The default DT_RUNPATH of a bundle's members. */
    public static final String ORIGIN = "$ORIGIN";

    /** With the default link names. */
    public BundleRequest(List<Path> inputs, Path outputDir, String prefix, Map<String, String> sonames,
            List<String> excludes, boolean werror, Set<WarningCategory> allowed, String runpath) {
        this(inputs, outputDir, prefix, sonames, excludes, werror, allowed, runpath, Map.of());
    }

    public BundleRequest {
        names = Map.copyOf(names);
        for (var e : names.entrySet()) {
            if (!ArtifactNames.VALID_NAME.matcher(e.getValue()).matches()) {
                throw new IsolateException("link name '" + e.getValue() + "' for " + e.getKey() + " must match "
                        + ArtifactNames.VALID_NAME.pattern());
            }
        }
        if (inputs.isEmpty()) {
            throw new IsolateException("a bundle needs at least one input library");
        }
        inputs = List.copyOf(inputs);
        sonames = Map.copyOf(sonames);
        excludes = List.copyOf(excludes);
        allowed = Set.copyOf(allowed);
        IsolateRequest.validatePrefix(prefix);
        for (var e : sonames.entrySet()) {
            if (!IsolateRequest.isPlainFileName(e.getValue())) {
                throw new IsolateException("SONAME '" + e.getValue() + "' for " + e.getKey() + " must be a plain file name");
            }
        }
        if (runpath != null && runpath.indexOf('\0') >= 0) {
            throw new IsolateException("runpath must not contain NUL");
        }
    }
}
