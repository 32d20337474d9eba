package dev.isolate.loader;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link NativeLoader#load(String)} did.
 *
 * @param name the name asked for
 * @param platform the platform token whose bundle was used ({@code linux-x86_64}); null when skipped
 * @param path the requested library on disk; null when loading was skipped ({@code isolate.native.skip})
 * @param loadOrder the requested library's bundled dependencies in load order, then the library itself (loaded now
 *     or earlier in this JVM)
 * @param directory the directory the libraries are in; null when skipped
 * @param extracted the files this call wrote; empty when they were already on disk and intact, or already loaded
 */
public record NativeLibrary(String name, String platform, Path path, List<Path> loadOrder, Path directory, List<Path> extracted) {
    public NativeLibrary {
        loadOrder = List.copyOf(loadOrder);
        extracted = List.copyOf(extracted);
    }

    /** True when nothing was loaded because the application loads the libraries itself. */
    public boolean skipped() {
        return path == null;
    }
}
