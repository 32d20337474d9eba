package dev.isolate.engine.policy;

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
}
