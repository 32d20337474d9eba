package dev.isolate.it;

/** A class, so the main jar holds compiled code beside the isolated libraries. */
public final class Repro {
    private Repro() {}

    public static native String zlibVersion();
}
