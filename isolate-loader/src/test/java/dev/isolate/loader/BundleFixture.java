package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.fail;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The test bundle: libacme_dep.so.1 (isolated from libdep.so.1) and libglue.so, a JNI library that needs it, built by
 * gcc from {@code src/test/c}, laid out as the plugin lays out a bundle: {@code native/<platform>/} with the
 * libraries and {@code isolate.index}, in a class path directory or a jar.
 */
final class BundleFixture {
    private BundleFixture() {}

    static final String DEP = "libacme_dep.so.1";
    static final String GLUE = "libglue.so";
    static final String PLATFORM = "linux-x86_64";

    private static Path libs;

    /** Compiles the two libraries once per JVM; returns their directory. */
    static synchronized Path libs() {
        if (libs != null) {
            return libs;
        }
        Tools.require("gcc");
        Path jdk = Path.of(System.getProperty("java.home"));
        Tools.requireFile(jdk.resolve("include/jni.h"), "openjdk-17-jdk-headless");
        Path src = Path.of(System.getProperty("isolate.fixtures.src", "src/test/c")).toAbsolutePath();
        Path out = Tools.freshWork("libs");
        Tools.run("gcc", "-shared", "-fPIC", "-O2", "-Wl,-soname," + DEP, "-o", out.resolve(DEP).toString(), src.resolve("dep.c").toString()).ok();
        Tools.run("gcc", "-shared", "-fPIC", "-O2", "-I" + jdk.resolve("include"), "-I" + jdk.resolve("include/linux"),
                "-Wl,-soname," + GLUE, "-o", out.resolve(GLUE).toString(), src.resolve("glue.c").toString(), out.resolve(DEP).toString()).ok();
        libs = out;
        return out;
    }

    /** The index the plugin would write for the two libraries. */
    static String index() {
        Path dir = libs();
        return "# isolate native index 1\n"
                + "# file\tsha256\tsize\tsoname\toriginal\tneeds\n"
                + line(dir.resolve(DEP), DEP, "libdep.so.1", "-")
                + line(dir.resolve(GLUE), GLUE, GLUE, DEP);
    }

    static String line(Path file, String soname, String original, String needs) {
        try {
            return file.getFileName() + "\t" + sha256(Files.readAllBytes(file)) + "\t" + Files.size(file) + "\t" + soname + "\t" + original
                    + "\t" + needs + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh class path directory {@code <work>/<name>} holding the bundle under {@code native/<platform>/}. */
    static Path classpathDir(String name, String platform) {
        Path root = Tools.freshWork(name);
        Path dir = root.resolve("native").resolve(platform);
        try {
            Files.createDirectories(dir);
            Files.copy(libs().resolve(DEP), dir.resolve(DEP));
            Files.copy(libs().resolve(GLUE), dir.resolve(GLUE));
            Files.writeString(dir.resolve("isolate.index"), index(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** The bundle in a jar, as the plugin ships it. */
    static Path jar(String name) {
        Path jar = Tools.freshWork(name).resolve("bundle.jar");
        String dir = "native/" + PLATFORM + "/";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String f : List.of(DEP, GLUE)) {
                entry(out, dir + f, Files.readAllBytes(libs().resolve(f)));
            }
            entry(out, dir + "isolate.index", index().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private static void entry(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /** Resources from {@code roots} only (the parent sees none of them). */
    static URLClassLoader classLoader(Path... roots) {
        URL[] urls = new URL[roots.length];
        for (int i = 0; i < roots.length; i++) {
            try {
                urls[i] = roots[i].toUri().toURL();
            } catch (MalformedURLException e) {
                fail(e);
            }
        }
        return new URLClassLoader(urls, null);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
