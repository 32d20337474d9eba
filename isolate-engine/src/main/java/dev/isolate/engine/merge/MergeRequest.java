package dev.isolate.engine.merge;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What {@code isolate merge} is asked: the TARGET (a JNI library) and the members it bundles, merged into
 * {@code outputDir/<TARGET's file name>}.
 *
 * @param inputs     TARGET first, then the members; their order decides nothing else
 * @param outputDir  created if missing
 * @param keep       further names to export (defined by any member), besides TARGET's JNI entry points
 * @param keepAll    export every member's exports (for uses that are not JNI, such as libssl + libcrypto)
 */
public record MergeRequest(List<Path> inputs, Path outputDir, Set<String> keep, boolean keepAll) {
    public MergeRequest {
        inputs = List.copyOf(inputs);
        keep = Set.copyOf(keep);
    }
}
