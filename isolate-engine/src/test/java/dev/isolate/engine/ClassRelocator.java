package dev.isolate.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a shading build does to a package, enough for tests: every class under {@code from/} in a jar is written
 * under {@code to/from/}, and every CONSTANT_Utf8 of it naming the package (in slash or dot form: class names,
 * descriptors, strings) is rewritten (JVMS 4.4: the constant pool is the only place class names live).
 */
final class ClassRelocator {
    private ClassRelocator() {}

    /** Relocates the classes of package {@code pkg} ("io/netty/internal/tcnative/") in {@code jar} under {@code prefix/}. */
    static int relocate(InputStream jar, String pkg, String prefix, Path outDir) throws IOException {
        int n = 0;
        try (ZipInputStream z = new ZipInputStream(jar)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (e.getName().startsWith(pkg) && e.getName().endsWith(".class")) {
                    Path p = outDir.resolve(prefix + "/" + e.getName());
                    Files.createDirectories(p.getParent());
                    Files.write(p, relocate(z.readAllBytes(), pkg, prefix + "/" + pkg));
                    n++;
                }
            }
        }
        return n;
    }

    static byte[] relocate(byte[] cls, String from, String to) throws IOException {
        String fromDots = from.replace('/', '.');
        String toDots = to.replace('/', '.');
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(cls));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(cls.length + 1024);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(in.readInt()); // magic
        out.writeInt(in.readInt()); // minor_version, major_version
        int count = in.readUnsignedShort();
        out.writeShort(count);
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            out.writeByte(tag);
            switch (tag) {
                case 1 -> out.writeUTF(in.readUTF().replace(from, to).replace(fromDots, toDots)); // modified UTF-8 both ways
                case 3, 4, 9, 10, 11, 12, 17, 18 -> out.writeInt(in.readInt());
                case 5, 6 -> {
                    out.writeLong(in.readLong());
                    i++; // a long or double takes two entries
                }
                case 7, 8, 16, 19, 20 -> out.writeShort(in.readUnsignedShort());
                case 15 -> {
                    out.writeByte(in.readUnsignedByte());
                    out.writeShort(in.readUnsignedShort());
                }
                default -> throw new IOException("constant pool entry " + i + ": unknown tag " + tag);
            }
        }
        in.transferTo(out); // the rest refers to the constant pool by index only
        return bytes.toByteArray();
    }
}
