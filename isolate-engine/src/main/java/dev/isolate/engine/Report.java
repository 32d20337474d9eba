package dev.isolate.engine;

import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Links;
import dev.isolate.engine.policy.NameRules;
import dev.isolate.engine.policy.Naming;
import java.nio.file.Path;

/**
 * What one run decided about a library ({@link Library}: what the manifest and {@code inspect} are made from) and,
 * after {@code isolate}, where the output went. The accessors below read through to the library.
 *
 * @param output     the written library, or null for {@code inspect}
 * @param outputSize its size in bytes, 0 for {@code inspect}
 * @param reordered  whether the rewrite moved tables (see {@code Rewriter.Result})
 */
public record Report(Library library, Path output, long outputSize, boolean reordered) {

    public Path input() {
        return library.input();
    }

    /** Hex SHA-256 of the input, or null when it was not needed (no manifest is written). */
    public String inputSha256() {
        return library.inputSha256();
    }

    public String machine() {
        return library.machine();
    }

    public String platform() {
        return library.platform();
    }

    public String prefix() {
        return library.prefix();
    }

    /** The input's SONAME, or null when it has none. */
    public String oldSoname() {
        return library.oldSoname();
    }

    /** The output's SONAME (the old one when a JNI library keeps it; null when it has none). */
    public String newSoname() {
        return library.newSoname();
    }

    /**
     * The link name of the artifacts for native consumers ({@code -lN}), or null when none are written (a JNI
     * library, unless a link name was asked for).
     */
    public String name() {
        return library.name();
    }

    public Classification classification() {
        return library.classification();
    }

    public Links links() {
        return library.links();
    }

    /** The output's file name, and where it and the new SONAME came from. */
    public Naming naming() {
        return library.naming();
    }

    /**
     * The name the library went by before isolation, for a loader to find it by: its SONAME when that is a plain
     * library file name, else its file name (JNA's SONAME is a path, netty's has a placeholder).
     */
    public String originalName() {
        return NameRules.nameBase(oldSoname(), input());
    }
}
