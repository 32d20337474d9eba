package dev.isolate.engine;

/**
 * JNI natives of {@code src/test/c/zprobe.c} (libzprobe.so): dlopen a zlib-like library by path with
 * RTLD_NOW|RTLD_LOCAL and call a function by (possibly renamed) name. dlopen/dlsym failures throw
 * IllegalStateException. Load libzprobe.so with System.load before calling.
 */
final class ZlibProbe {
    private ZlibProbe() {}

    /** Calls {@code const char *symbol(void)} (zlibVersion's type) in {@code libPath}. */
    static native String version(String libPath, String symbol);

    /** Returns {@code symbol(0, data, data.length)}, for a function of crc32's type in {@code libPath}. */
    static native long crc32(String libPath, String symbol, byte[] data);
}
