package dev.isolate.engine;

import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.policy.Classification;
import java.nio.file.Path;

/**
 * What one run decided (and, after {@code isolate}, where the output went).
 *
 * @param output      the written library, or null for {@code inspect}
 * @param oldSoname   the input's SONAME, or null when it has none
 * @param inputSha256 hex digest of the input file
 * @param name        the link name of the artifacts for native consumers ({@code -lN})
 */
public record Report(Path input, String inputSha256, String machine, String platform, String prefix,
        String oldSoname, String newSoname, String name, Classification classification, Path output, long outputSize,
        boolean reordered) {

    /** What the manifest (and {@code inspect --json}) is made from. */
    public Library library() {
        return new Library(input, inputSha256, machine, platform, prefix, oldSoname, newSoname, name, classification);
    }
}
