import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The least a JVM process does for an isolate run, and nothing of the isolating itself: start, hash the
 * input with SHA-256 (the manifest records it) and copy it to the output with the kernel's copy. bench.sh
 * times it next to cp and isolate, so the ratio the JVM alone costs is measured, not guessed.
 * Usage: java -XX:+UseSerialGC Floor.java INPUT OUTPUT (bench.sh compiles it first: no compiling in the timing)
 */
public class Floor {
    public static void main(String[] args) throws Exception {
        try (FileChannel in = FileChannel.open(Path.of(args[0]));
                FileChannel out = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            Thread copy = new Thread(() -> {
                try {
                    for (long at = 0; at < size; ) {
                        at += in.transferTo(at, size - at, out);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            copy.start();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer map = in.map(FileChannel.MapMode.READ_ONLY, 0, size);
            sha.update(map);
            byte[] d = sha.digest();
            copy.join();
            System.out.printf("%02x%02x..%n", d[0], d[1]);
        }
    }
}
