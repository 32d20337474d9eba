package dev.isolate.loader;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The libraries of the segregation tests, built by gcc/g++ from {@code src/test/c/segregate} (the commands are in
 * each source), and bundles of them laid out as the plugin writes a {@code <mode>segregate</mode>} bundle: the
 * libraries unmodified and an index of version 2 that says {@code mode segregate}.
 */
final class SegregateFixtures {
    private SegregateFixtures() {}

    static final Path SYSTEM_ZSTD = Path.of("/usr/lib/x86_64-linux-gnu/libzstd.so.1");

    /** One library of a bundle: its file, the soname written in the index, the members it needs. */
    record Member(Path file, String soname, String needs) {}

    static Path src(String name) {
        return Path.of(System.getProperty("isolate.fixtures.src", "src/test/c")).toAbsolutePath().resolve("segregate").resolve(name);
    }

    private static List<String> jni() {
        Path jdk = Path.of(System.getProperty("java.home"));
        Tools.requireFile(jdk.resolve("include/jni.h"), "a JDK with include/jni.h");
        return List.of("-I" + jdk.resolve("include"), "-I" + jdk.resolve("include/linux"));
    }

    /** {@code cc -shared -fPIC -O2 [jni includes] -Wl,-soname,SONAME -o DIR/SONAME SOURCE EXTRA...}. */
    static Path build(String cc, Path dir, String soname, String source, boolean jni, String... extra) {
        Tools.require(cc);
        List<String> cmd = new ArrayList<>(List.of(cc, "-shared", "-fPIC", "-O2"));
        if (jni) {
            cmd.addAll(jni());
        }
        cmd.addAll(List.of("-Wl,-soname," + soname, "-o", dir.resolve(soname).toString(), src(source).toString()));
        cmd.addAll(List.of(extra));
        Tools.run(cmd, Tools.DEFAULT_TIMEOUT, true).ok();
        return dir.resolve(soname);
    }

    /** A copy of the system's libzstd.so.1, byte for byte, and libzstdglue.so linked against it. */
    static List<Member> zstd(Path dir) throws IOException {
        Tools.requireFile(SYSTEM_ZSTD, "libzstd1");
        Path copy = dir.resolve("libzstd.so.1");
        Files.copy(SYSTEM_ZSTD, copy, StandardCopyOption.REPLACE_EXISTING);
        Path glue = build("gcc", dir, "libzstdglue.so", "zstdglue.c", true, copy.toString());
        return List.of(new Member(copy, "libzstd.so.1", "-"), new Member(glue, "libzstdglue.so", "libzstd.so.1"));
    }

    /** libver.so.1 answering {@code version}, and libverglue.so linked against it. */
    static List<Member> version(Path dir, int version) {
        Path ver = build("gcc", dir, "libver.so.1", "ver.c", false, "-DVERSION=" + version);
        Path glue = build("gcc", dir, "libverglue.so", "verglue.c", true, ver.toString());
        return List.of(new Member(ver, "libver.so.1", "-"), new Member(glue, "libverglue.so", "libver.so.1"));
    }

    /**
     * A class path root holding {@code native/linux-x86_64/} with the members and a segregate index; {@code comment}
     * goes into the index, so bundles of the same libraries still differ (each index hash is a bundle).
     */
    static Path bundle(Path root, List<Member> members, String comment) throws IOException {
        Path dir = root.resolve("native").resolve(BundleFixture.PLATFORM);
        Files.createDirectories(dir);
        StringBuilder index = new StringBuilder("# isolate native index 2\nmode\tsegregate\n# " + comment + "\n");
        for (Member m : members) {
            Path f = dir.resolve(m.file().getFileName());
            Files.copy(m.file(), f, StandardCopyOption.REPLACE_EXISTING);
            index.append(BundleFixture.line(f, m.soname(), m.soname(), m.needs()));
        }
        Files.writeString(dir.resolve("isolate.index"), index.toString(), StandardCharsets.UTF_8);
        return root;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
