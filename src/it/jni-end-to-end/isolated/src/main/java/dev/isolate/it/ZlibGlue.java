package dev.isolate.it;

import dev.isolate.loader.NativeLibrary;
import dev.isolate.loader.NativeLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The Java side of the JNI glue. {@code main} loads it through the isolate loader from the jar it runs from
 * ({@code native/linux-x86_64/} and its isolate.index), or, with {@code --files DIR} (the control, built
 * without the plugin), System.loads DIR/libz.so.1 and then DIR/libzglue.so as they were built. It prints what
 * the glue's zlib says, then checks java.util.zip in the same JVM.
 */
public final class ZlibGlue {
    static native String zlibVersion();

    static native long crc32(byte[] data);

    public static void main(String[] args) throws Exception {
        new Deflater().end(); // the JVM's own zlib is loaded first, as in any application
        if (args.length == 2 && args[0].equals("--files")) {
            System.load(Path.of(args[1], "libz.so.1").toAbsolutePath().toString());
            System.load(Path.of(args[1], "libzglue.so").toAbsolutePath().toString());
        } else {
            NativeLibrary lib = NativeLoader.load("zglue");
            System.out.println("loaded " + lib.loadOrder().size() + " libraries");
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
}
