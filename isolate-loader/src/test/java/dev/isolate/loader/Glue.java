package dev.isolate.loader;

/** The JNI function of {@code src/test/c/glue.c} (libglue.so), which calls into libacme_dep.so.1. */
final class Glue {
    private Glue() {}

    /** {@code a * b}, computed by libacme_dep.so.1. */
    static native int mul(int a, int b);
}
