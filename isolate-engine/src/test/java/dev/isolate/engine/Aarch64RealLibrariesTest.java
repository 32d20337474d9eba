package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every test of {@link RealLibrariesTest} on Debian's arm64 builds of zlib and zstd (the versions apt resolves,
 * fetched once into target/), checked with the aarch64 binutils and loaded by the aarch64 glibc under qemu.
 */
class Aarch64RealLibrariesTest extends RealLibrariesTest {
    /** Library file -> Debian package (arm64). */
    static final Map<String, String> ARM64_PACKAGES = Map.of("libz.so.1", "zlib1g", "libzstd.so.1", "libzstd1");

    @Override
    Target target() {
        return Target.AARCH64;
    }

    @Override
    Stream<String> libraries() {
        return Stream.of("libzstd.so.1", "libz.so.1");
    }

    /** zlib1g still ships in /lib (not merged into /usr), libzstd1 in /usr/lib. */
    @Override
    Path input(String lib) {
        Path root = DebianPackages.unpacked(ARM64_PACKAGES.get(lib), "arm64");
        for (String dir : List.of("usr/lib/aarch64-linux-gnu", "lib/aarch64-linux-gnu")) {
            Path p = root.resolve(dir).resolve(lib);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return fail(lib + " is not in the unpacked " + ARM64_PACKAGES.get(lib) + ":arm64 at " + root);
    }
}
