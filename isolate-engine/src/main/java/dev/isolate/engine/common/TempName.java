package dev.isolate.engine.common;

import java.nio.file.Path;

/**
 * Where an output is written before it is moved into place: beside it (a rename within one directory is atomic),
 * hidden, and named after this process, so two runs writing one directory never write the same temporary file.
 */
public final class TempName {
    private TempName() {}

    /** {@code dir/.libacme_z.so.1.tmp12345} */
    public static Path of(Path dir, String name) {
        return dir.resolve("." + name + ".tmp" + ProcessHandle.current().pid());
    }
}
