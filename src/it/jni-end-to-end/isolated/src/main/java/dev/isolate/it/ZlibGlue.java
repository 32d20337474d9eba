package dev.isolate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The Java side of the JNI glue. {@code main} loads the native libraries packaged in this jar under
 * native/linux-x86_64/ (in the order of isolate.index when there is one, else the bundled zlib first, then
 * the glue) and prints what the glue's zlib says, then checks java.util.zip in the same JVM.
 */
public final class ZlibGlue {
    static native String zlibVersion();

    static native long crc32(byte[] data);

    public static void main(String[] args) throws Exception {
        new Deflater().end(); // the JVM's own zlib is loaded first, as in any application
        Path dir = Files.createTempDirectory("zlibglue");
        for (String lib : loadOrder()) {
            Path f = dir.resolve(lib);
            try (InputStream in = resource(lib)) {
                Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(f.toString());
        }
        System.out.println("version " + zlibVersion());
        byte[] data = "crc me".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        CRC32 c = new CRC32();
        c.update(data);
        System.out.println("crc " + crc32(data) + " " + c.getValue());
        byte[] text = "java.util.zip keeps working ".repeat(500).getBytes(StandardCharsets.US_ASCII);
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
        System.out.println(m == text.length && Arrays.equals(text, back) ? "zip ok" : "zip FAILED");
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ZlibGlue.class.getResourceAsStream("/native/linux-x86_64/" + name);
        if (in == null) {
            throw new IOException("no resource native/linux-x86_64/" + name + " in the jar");
        }
        return in;
    }

    private static List<String> loadOrder() throws IOException {
        InputStream idx = ZlibGlue.class.getResourceAsStream("/native/linux-x86_64/isolate.index");
        if (idx == null) {
            return List.of("libz.so.1", "libzglue.so");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        idx.transferTo(all);
        List<String> out = new ArrayList<>();
        for (String line : all.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                out.add(line.split("\t")[0]);
            }
        }
        return out;
    }
}
