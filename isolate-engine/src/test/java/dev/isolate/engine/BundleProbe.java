package dev.isolate.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Run in a JVM of its own by {@link BundleTest}: loads the JNI glue of {@code src/test/c/bundle/zglue.c}
 * (by {@code System.load} of each argument, in order), prints what the glue's zlib says, then checks that
 * the JVM's own java.util.zip still works (Deflater/Inflater, and a jar written and read back).
 * Output lines: {@code version <s>}, {@code crc <glue's> <java.util.zip's>}, {@code zip ok}.
 */
public final class BundleProbe {
    private BundleProbe() {}

    static native String zlibVersion();

    static native long crc32(byte[] data);

    public static void main(String[] args) throws Exception {
        new Deflater().end(); // the JVM's own zlib is loaded before the glue, as in any real application
        for (String lib : args) {
            System.load(lib);
        }
        System.out.println("version " + zlibVersion());
        byte[] data = new byte[50_000];
        new Random(3).nextBytes(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        System.out.println("crc " + crc32(data) + " " + crc.getValue());
        System.out.println(javaUtilZipWorks() ? "zip ok" : "zip FAILED");
    }

    static boolean javaUtilZipWorks() throws IOException, java.util.zip.DataFormatException {
        byte[] text = "isolate keeps the JVM's own zlib working ".repeat(2000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Deflater d = new Deflater();
        d.setInput(text);
        d.finish();
        byte[] buf = new byte[text.length];
        int n = d.deflate(buf);
        d.end();
        Inflater inf = new Inflater();
        inf.setInput(buf, 0, n);
        byte[] back = new byte[text.length];
        int m = inf.inflate(back);
        inf.end();
        if (m != text.length || !Arrays.equals(text, back)) {
            return false;
        }
        Path jar = Files.createTempFile("probe", ".jar");
        try {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry("a.txt"));
                out.write(text);
                out.closeEntry();
            }
            try (JarFile jf = new JarFile(jar.toFile()); InputStream in = jf.getInputStream(jf.getEntry("a.txt"))) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                return Arrays.equals(text, all.toByteArray());
            }
        } finally {
            Files.delete(jar);
        }
    }
}
