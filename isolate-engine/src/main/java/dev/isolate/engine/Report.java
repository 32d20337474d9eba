package dev.isolate.engine;

import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one run decided (and, after {@code isolate}, where the output went).
 *
 * @param output      the written library, or null for {@code inspect}
 * @param oldSoname   the input's SONAME, or null when it has none
 * @param inputSha256 hex digest of the input file
 * @param newSoname   the output's SONAME (the old one when a JNI library keeps it; null when it has none)
 * @param name        the link name of the artifacts for native consumers ({@code -lN})
 */
public record Report(Path input, String inputSha256, String machine, String platform, String prefix,
        String oldSoname, String newSoname, String name, Classification classification, Path output, long outputSize,
        boolean reordered, Links links) {

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

    /** What the manifest (and {@code inspect --json}) is made from. */
    public Library library() {
        return new Library(input, inputSha256, machine, platform, prefix, oldSoname, newSoname, name, classification, links);
    }
}
