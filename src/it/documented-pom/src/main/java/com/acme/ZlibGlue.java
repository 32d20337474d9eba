package com.acme;

import dev.isolate.loader.NativeLoader;

/** The class of docs/maven-plugin.md, and a main that says which zlib the glue reached. */
public final class ZlibGlue {
    static {
        NativeLoader.load("zglue");   // libacme_z.so.1 first (the index says libzglue.so needs it), then libzglue.so
    }

    static native String zlibVersion();

    public static void main(String[] args) {
        System.out.println("version " + zlibVersion());
    }
}
