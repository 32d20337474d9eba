package dev.isolate.loader;

/**
 * Segregated loading (docs/loader.md) on a JDK before 22: refused in one line. The multi-release jar carries the
 * implementation for JDK 22 and later in {@code META-INF/versions/22/} (source: {@code src/main/java22}), which the
 * JVM picks instead of this class.
 */
final class Segregation {
    private Segregation() {}

    static void load(SegregateRequest r) {
        throw new NativeLoadError(r.oldJdk());
    }
}
