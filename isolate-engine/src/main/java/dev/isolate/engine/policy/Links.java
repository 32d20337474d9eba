package dev.isolate.engine.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a bundle member refers to the others (all empty for a library isolated alone).
 *
 * @param imports   undefined references renamed to follow another member's export
 * @param needed    DT_NEEDED renamed: old SONAME -> new SONAME
 * @param runpath   the DT_RUNPATH written, or null when left as it was
 * @param unbundled DT_NEEDED names that are neither members nor system libraries (warned)
 */
public record Links(List<Export> imports, Map<String, String> needed, String runpath, List<String> unbundled) {
    public static final Links NONE = new Links(List.of(), Map.of(), null, List.of());

    /** Why a DT_NEEDED is warned about ({@link WarningCategory#UNBUNDLED_DEPENDENCY}), in every message naming one. */
    public static final String UNBUNDLED = "neither in the bundle nor a system library";

    /** {@code needs libz.so.1, which is neither in the bundle nor a system library} */
    public static String needs(String libraries) {
        return "needs " + libraries + ", which is " + UNBUNDLED;
    }

    /** The warning for one unbundled dependency, as the command line and the plugin print it. */
    public static String warning(Path input, String needed) {
        return input + " " + needs(needed) + " (" + WarningCategory.UNBUNDLED_DEPENDENCY.id() + ")";
    }
}
