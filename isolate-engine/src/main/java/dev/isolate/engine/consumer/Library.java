package dev.isolate.engine.consumer;

import dev.isolate.engine.Report;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the consumer artifacts are written from: one library, its renaming, and its link name.
 *
 * @param inputSha256 hex SHA-256 of the input, or null until it is known
 * @param oldSoname   the input's SONAME, or null when it has none
 * @param name        the link name N ({@code -lN})
 * @param links       how a bundle member refers to the others
 */
public record Library(Path input, String inputSha256, String machine, String platform, String prefix, String oldSoname,
        String newSoname, String name, Classification classification, Report.Links links) {

    public ArtifactNames artifacts() {
        return new ArtifactNames(name, prefix);
    }

    public Library withSha256(String sha256) {
        return new Library(input, sha256, machine, platform, prefix, oldSoname, newSoname, name, classification, links);
    }

    /**
     * The exports that get a stub, in {@code .dynsym} order: renamed functions ({@link Export#stubbable}),
     * each name once (a well-formed library defines a name once per version, and only default versions
     * get stubs; a malformed one must not give the archive index two members for one name).
     */
    public List<Export> stubs() {
        List<Export> renamed = classification.renamed();
        List<Export> out = new ArrayList<>(renamed.size());
        Set<String> seen = new HashSet<>(renamed.size() * 4 / 3 + 1); // sized once: no rehash of 45k names

        for (Export e : renamed) {
            if (e.stubbable() && seen.add(e.name())) {
                out.add(e);
            }
        }
        return out;
    }
}
