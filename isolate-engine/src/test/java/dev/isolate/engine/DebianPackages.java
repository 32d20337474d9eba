package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian packages of another architecture, in the version apt resolves on this machine ({@code apt-cache
 * policy}'s candidate), fetched with {@code apt-get download} and unpacked with {@code dpkg-deb -x} under
 * {@code <work>/debs/<arch>/<package>/<version>/root}. Done once per version: a later run finds the tree and
 * downloads nothing. Needs {@code dpkg --add-architecture arm64 && apt-get update} first (.ci/run does both).
 */
final class DebianPackages {
    private DebianPackages() {}

    private static final Pattern CANDIDATE = Pattern.compile("Candidate: (\\S+)");

    /** The unpacked tree of {@code pkg:arch}. */
    static synchronized Path unpacked(String pkg, String arch) {
        Tools.require("apt-cache", "apt-get", "dpkg-deb");
        String spec = pkg + ":" + arch;
        String version = candidate(spec, arch);
        Path dir = Tools.work("debs/" + arch + "/" + pkg + "/" + version.replace(':', '_'));
        Path root = dir.resolve("root");
        Path done = dir.resolve(".unpacked");
        if (Files.exists(done)) {
            return root;
        }
        Path deb = deb(dir);
        if (deb == null) {
            Tools.Result r = Tools.run(List.of("apt-get", "download", spec + "=" + version), Duration.ofMinutes(5), true, dir);
            deb = deb(dir);
            if (r.exit() != 0 || deb == null) {
                Tools.unavailable("cannot download " + spec + "=" + version + " (network to Debian?): " + r.describe());
            }
        }
        Tools.Result x = Tools.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), Tools.DEFAULT_TIMEOUT, true);
        if (x.exit() != 0) {
            fail("unpacking " + deb + ": " + x.describe());
        }
        try {
            Files.createFile(done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private static String candidate(String spec, String arch) {
        Tools.Result r = Tools.run("apt-cache", "policy", spec);
        Matcher m = CANDIDATE.matcher(r.out());
        if (r.exit() != 0 || !m.find() || m.group(1).equals("(none)")) {
            Tools.unavailable("apt knows no candidate version of " + spec + ": run `dpkg --add-architecture " + arch
                    + " && apt-get update` (as .ci/run does)");
        }
        return m.group(1);
    }

    private static Path deb(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
