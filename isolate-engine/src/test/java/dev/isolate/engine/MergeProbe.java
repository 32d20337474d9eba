package dev.isolate.engine;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Run in a JVM of its own by {@link MergeTest}: {@code System.load}s the merged JNI glue of
 * {@code src/test/c/merge/mergeglue.c} and prints what it says. Output lines: {@code versions zlib <v> zstd <n>},
 * {@code where <file of compress2> <file of ZSTD_compress>}, {@code roundtrip ok|FAILED}, {@code zip ok|FAILED}
 * (the JVM's own java.util.zip, after the glue ran).
 */
public final class MergeProbe {
    private MergeProbe() {}

    static native String versions();

    static native String where();

    static native int roundTrip(byte[] data);

    public static void main(String[] args) throws Exception {
        new Deflater().end(); // the JVM's own zlib first, as in any real application
        System.load(args[0]);
        System.out.println("versions " + versions());
        System.out.println("where " + where());
        byte[] data = new byte[200_000];
        new Random(14).nextBytes(data);
        Arrays.fill(data, 50_000, 150_000, (byte) 'm');
        System.out.println("roundtrip " + (roundTrip(data) == 1 ? "ok" : "FAILED"));
        System.out.println("zip " + (BundleProbe.javaUtilZipWorks() ? "ok" : "FAILED"));
    }
}
