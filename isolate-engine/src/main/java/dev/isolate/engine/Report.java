package dev.isolate.engine;

import dev.isolate.engine.policy.Classification;
import java.nio.file.Path;

/**
 * What one run decided (and, after {@code isolate}, where the output went).
 *
 * @param output      the written library, or null for {@code inspect}
 * @param oldSoname   the input's SONAME, or null when it has none
 * @param inputSha256 hex digest of the input file
 */
public record Report(Path input, String inputSha256, String machine, String platform, String prefix,
        String oldSoname, String newSoname, Classification classification, Path output, long outputSize,
        boolean reordered) {}
