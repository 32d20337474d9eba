package dev.isolate.engine;

/**
 * Run in a child JVM by {@link WeakFallbackTest}: {@code System.load(args[0])} (libweakstrdup.so or an isolated
 * copy, whose JNI_OnLoad calls {@code __strdup}), then prints what its natives answer. A copy whose
 * {@code __strdup} binds to the library's own self-loop never gets past System.load.
 */
public final class WeakStrdupMain {
    private WeakStrdupMain() {}

    /** The string JNI_OnLoad copied with {@code __strdup}. */
    static native String copy();

    /** {@code __isnan(x)}: libc's answers 1 for NaN, the library's own -1. */
    static native int isnan(double x);

    public static void main(String[] args) {
        System.out.println("loading " + args[0]);
        System.load(args[0]);
        System.out.println("loaded; copy=" + copy() + "; __isnan(NaN)=" + isnan(Double.NaN));
    }
}
