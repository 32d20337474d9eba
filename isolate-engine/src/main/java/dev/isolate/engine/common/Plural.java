package dev.isolate.engine.common;

/** A count and its noun, for messages: "1 library", "2 libraries", "0 warnings". */
public final class Plural {
    private Plural() {}

    /** {@code n} and {@code noun}, with an {@code s} unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return of(n, noun, noun + "s");
    }

    /** {@code n} and {@code one} or {@code many}: {@code of(n, "library", "libraries")}. */
    public static String of(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
