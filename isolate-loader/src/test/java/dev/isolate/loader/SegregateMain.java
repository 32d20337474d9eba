package dev.isolate.loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child JVM of {@link SegregateJdk25Test}: what needs a process of its own (LD_PRELOAD, LD_DEBUG, or using up
 * the namespaces).
 *
 * <pre>
 * zstd ROOT EXTRACT            load ROOT's segregated libzstdglue.so, round-trip bytes, print the libzstd mappings
 * namespaces EXTRACT ROOT...   load libns.so from each ROOT segregated; "loaded N" each, then the refusal
 * </pre>
 */
public final class SegregateMain {
    private SegregateMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "zstd" -> {
                ClassLoader cl = resources(Path.of(args[1]));
                NativeLibrary lib = NativeLoader.builder().classLoader(cl).extractTo(Path.of(args[2]))
                        .natives(SegregateJdk25Test.Zstd.class).load("zstdglue");
                byte[] in = "segregated zstd round trip ".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] out = SegregateJdk25Test.Zstd.roundTrip(in);
                System.out.println(Arrays.equals(in, out) ? "round trip ok" : "round trip FAILED");
                System.out.println("directory " + lib.directory());
                Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("libzstd.so.1"))
                        .map(l -> "map " + l.substring(l.lastIndexOf(' ') + 1)).distinct().forEach(System.out::println);
            }
            case "namespaces" -> {
                for (int i = 2; i < args.length; i++) {
                    try {
                        NativeLoader.builder().classLoader(resources(Path.of(args[i]))).extractTo(Path.of(args[1]))
                                .segregate().load("ns");
                        System.out.println("loaded " + (i - 1));
                    } catch (NativeLoadError e) {
                        System.out.println("refused " + (i - 1) + ": " + e.getMessage());
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Resources from {@code root} only. */
    private static ClassLoader resources(Path root) throws java.net.MalformedURLException {
        return new java.net.URLClassLoader(new java.net.URL[] {root.toUri().toURL()}, null);
    }
}
