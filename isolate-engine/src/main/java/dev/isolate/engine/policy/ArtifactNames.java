package dev.isolate.engine.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The file names of the artifacts for native consumers of one isolated library, from its link name
 * {@code N} (what consumers pass as {@code -lN}) and the prefix: {@code libN_stubs.a}, {@code libN.so}
 * (a linker script), {@code <prefix>isolate_N.h} and {@code <prefix>isolate_N.json}.
 */
public record ArtifactNames(String name, String prefix) {
    /** What a link name may hold: it becomes part of file names, a linker script and a C include guard. */
    public static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_.+-]*");

    public String stubArchive() {
        return "lib" + name + "_stubs.a";
    }

    public String linkerScript() {
        return "lib" + name + ".so";
    }

    public String header() {
        return prefix + "isolate_" + name + ".h";
    }

    public String manifest() {
        return prefix + "isolate_" + name + ".json";
    }

    public List<String> all() {
        return List.of(stubArchive(), linkerScript(), header(), manifest());
    }

    /**
     * The link name a consumer of the original library already uses: its SONAME (or file name) without
     * {@code lib} and without {@code .so} and what follows: {@code libzstd.so.1} -> {@code zstd},
     * {@code libLLVM-15.so.1} -> {@code LLVM-15}. May be invalid ({@link #VALID_NAME}); the caller says so.
     */
    public static String defaultName(String sonameOrFileName) {
        String n = sonameOrFileName.startsWith("lib") && sonameOrFileName.length() > 3 ? sonameOrFileName.substring(3)
                : sonameOrFileName;
        int so = n.indexOf(".so");
        while (so >= 0 && so + 3 < n.length() && n.charAt(so + 3) != '.') {
            so = n.indexOf(".so", so + 1);
        }
        return so > 0 ? n.substring(0, so) : n;
    }
}
