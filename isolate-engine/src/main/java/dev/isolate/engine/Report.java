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
 * @param name        the link name of the artifacts for native consumers ({@code -lN}), or null when none are
 *                    written (a JNI library, unless a link name was asked for)
 * @param naming      the output's file name, and where it and the new SONAME came from
 */
public record Report(Path input, String inputSha256, String machine, String platform, String prefix,
        String oldSoname, String newSoname, String name, Classification classification, Path output, long outputSize,
        boolean reordered, Links links, Naming naming) {

    /** Without a {@link Naming}: the output file is named after the new SONAME (or the input's file name). */
    public Report(Path input, String inputSha256, String machine, String platform, String prefix, String oldSoname,
            String newSoname, String name, Classification classification, Path output, long outputSize, boolean reordered,
            Links links) {
        this(input, inputSha256, machine, platform, prefix, oldSoname, newSoname, name, classification, output, outputSize,
                reordered, links, Naming.of(input, newSoname));
    }

    /**
     * How the output is named, and why: said by {@code inspect}, its JSON and the manifest, so that a default run
     * never leaves a user guessing where a name came from.
     *
     * @param fileName the output's file name
     * @param source   where the new SONAME (and with it the file name and the default link name) came from
     * @param reason   why, in a few words for the report
     */
    public record Naming(String fileName, Source source, String reason) {
        static Naming of(Path input, String newSoname) {
            return new Naming(newSoname != null ? newSoname : input.getFileName().toString(), Source.SONAME, "");
        }
    }

    /** Where a member's names came from. */
    public enum Source {
        /** A JNI library keeps its SONAME (or has none) and its file name. */
        KEPT("kept"),
        /** Derived from the input's SONAME: the prefix after {@code lib}. */
        SONAME("soname"),
        /** Derived from the input's file name: it has no SONAME, or one that is not a plain library file name. */
        FILE_NAME("file-name"),
        /** Given by the user ({@code --soname}, {@code <sonames>}). */
        USER("user");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        /** The name in reports and manifests. */
        public String id() {
            return id;
        }
    }

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

    /**
     * The name the library went by before isolation, for a loader to find it by: its SONAME when that is a plain
     * library file name, else its file name (JNA's SONAME is a path, netty's has a placeholder).
     */
    public String originalName() {
        return Isolator.nameBase(oldSoname, input);
    }

    /** What the manifest (and {@code inspect --json}) is made from. */
    public Library library() {
        return new Library(input, inputSha256, machine, platform, prefix, oldSoname, newSoname, name, classification, links,
                naming);
    }
}
