package dev.isolate.engine.consumer;

import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.Links;
import dev.isolate.engine.policy.Naming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the consumer artifacts are written from: one library, its renaming, and its link name.
 *
 * @param inputSha256 hex SHA-256 of the input, or null until it is known
 * @param platform    {@code linux-x86_64}, {@code linux-aarch_64}, with {@code -musl} for a library of musl libc
 * @param oldSoname   the input's SONAME, or null when it has none
 * @param newSoname   the output's SONAME (the old one when a JNI library keeps it; null when it has none)
 * @param name        the link name N ({@code -lN}), or null when no artifacts are written for it
 * @param links       how a bundle member refers to the others
 * @param naming      the output's file name and where its names came from
 */
public record Library(Path input, String inputSha256, String machine, String platform, String prefix, String oldSoname,
        String newSoname, String name, Classification classification, Links links, Naming naming) {

    /** The artifact names for {@code -lN}; null when there are none (no link name). */
    public ArtifactNames artifacts() {
        return name == null ? null : new ArtifactNames(name, prefix);
    }

    /** The output library's file name: what a linker script and a loader look for. */
    public String fileName() {
        return naming.fileName();
    }

    public Library withSha256(String sha256) {
        return new Library(input, sha256, machine, platform, prefix, oldSoname, newSoname, name, classification, links, naming);
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
