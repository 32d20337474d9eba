package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: external commands, required tools and files (skip locally, fail in CI), the C fixtures,
 * and scratch directories under {@code isolate.work}. Public, and shipped in isolate-engine's test-jar, so the
 * other modules' tests run tools the same way.
 */
public final class Tools {
    private Tools() {}

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /** Debian packages providing the tools the tests use. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(Map.entry("gcc", "gcc"), Map.entry("g++", "g++"),
            Map.entry("eu-elflint", "elfutils"), Map.entry("eu-strip", "elfutils"), Map.entry("eu-readelf", "elfutils"),
            Map.entry("ld.lld", "lld"), Map.entry("strip", "binutils"), Map.entry("objcopy", "binutils"),
            Map.entry("readelf", "binutils"), Map.entry("ld", "binutils"), Map.entry("make", "make"),
            Map.entry("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"), Map.entry("aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu"),
            Map.entry("aarch64-linux-gnu-strip", "binutils-aarch64-linux-gnu"),
            Map.entry("aarch64-linux-gnu-objcopy", "binutils-aarch64-linux-gnu"),
            Map.entry("aarch64-linux-gnu-readelf", "binutils-aarch64-linux-gnu"),
            Map.entry("aarch64-linux-gnu-objdump", "binutils-aarch64-linux-gnu"),
            Map.entry("aarch64-linux-gnu-as", "binutils-aarch64-linux-gnu"), Map.entry("aarch64-linux-gnu-nm", "binutils-aarch64-linux-gnu"), Map.entry("qemu-aarch64", "qemu-user"),
            Map.entry("apt-get", "apt"), Map.entry("apt-cache", "apt"), Map.entry("dpkg-deb", "dpkg"),
            Map.entry("mount", "mount"), Map.entry("umount", "mount"),
            Map.entry("ar", "binutils"), Map.entry("nm", "binutils"), Map.entry("objdump", "binutils"),
            Map.entry("ld.gold", "binutils"), Map.entry("autoconf", "autoconf"), Map.entry("sha256sum", "coreutils"),
            Map.entry("musl-gcc", "musl-tools"));


    /** The outcome of one command. {@code out} and {@code err} are separate unless the command merged them. */
    public record Result(List<String> command, int exit, String out, String err) {
        /** Everything the command printed, for assertion messages. */
        public String all() {
            return err.isEmpty() ? out : out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + err;
        }

        public String describe() {
            return "`" + String.join(" ", command) + "` exited " + exit + "\n" + tail(all(), 4000);
        }

        /** Fails unless the exit code is 0. */
        public Result ok() {
            if (exit != 0) {
                fail(describe());
            }
            return this;
        }
    }

    public static boolean isCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips the test when {@code tool} is not on PATH, or fails it under CI=true naming the Debian package. */
    public static void require(String tool) {
        if (onPath(tool)) {
            return;
        }
        String pkg = PACKAGES.getOrDefault(tool, tool);
        unavailable("'" + tool + "' is not on PATH (Debian package: " + pkg + "; apt-get install " + pkg + ")");
    }

    /**
     * Something the test needs is missing or refused (a tool, a file, a privilege): fails the test under CI=true,
     * aborts it locally, with {@code why} as the message. Never returns.
     */
    public static void unavailable(String why) {
        if (isCi()) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    public static void require(String... tools) {
        for (String t : tools) {
            require(t);
        }
    }

    /** Skips the test when {@code file} does not exist, or fails it under CI=true naming the Debian package. */
    public static void requireFile(Path file, String debianPackage) {
        if (Files.isRegularFile(file)) {
            return;
        }
        unavailable(file + " does not exist (Debian package: " + debianPackage + ")");
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, tool);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static Result run(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT, false);
    }

    public static Result runMerged(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT, true);
    }

    /**
     * Runs a command with stdin closed; output goes through temporary files, so large outputs (readelf on
     * libLLVM) cannot block the child. On timeout the process tree is killed and the test fails.
     */
    public static Result run(List<String> command, Duration timeout, boolean merge) {
        return run(command, timeout, merge, null);
    }

    /** {@link #run(List, Duration, boolean)} in the working directory {@code dir} (null: this JVM's). */
    public static Result run(List<String> command, Duration timeout, boolean merge, Path dir) {
        Path outFile = null;
        Path errFile = null;
        try {
            Path tmp = work("proc");
            outFile = Files.createTempFile(tmp, "out", ".txt");
            errFile = merge ? null : Files.createTempFile(tmp, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(outFile.toFile()).directory(dir == null ? null : dir.toFile());
            if (merge) {
                pb.redirectErrorStream(true);
            } else {
                pb.redirectError(errFile.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("`" + String.join(" ", command) + "` did not finish within " + timeout.toSeconds() + " s; output so far:\n"
                        + tail(Files.readString(outFile, StandardCharsets.ISO_8859_1), 4000));
            }
            String out = Files.readString(outFile, StandardCharsets.ISO_8859_1);
            String err = merge ? "" : Files.readString(errFile, StandardCharsets.ISO_8859_1);
            return new Result(List.copyOf(command), p.exitValue(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(outFile);
            deleteQuietly(errFile);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a leftover temp file does no harm
            }
        }
    }

    public static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    private static final Map<Target, Path> FIXTURES = new java.util.EnumMap<>(Target.class);

    /** The x86_64 C fixtures. */
    public static Path fixtures() {
        return fixtures(Target.X86_64);
    }

    /**
     * Builds the C fixtures of {@code target} once per JVM ({@code make -C src OUT=out ARCH=arch -j2}) and returns
     * the output directory: {@code isolate.fixtures.out} for x86_64, the same with {@code -aarch64} for aarch64.
     */
    public static synchronized Path fixtures(Target target) {
        Path done = FIXTURES.get(target);
        if (done != null) {
            return done;
        }
        require("make", "ld.lld");
        target.requireToolchain();
        Path src = fixtureSources();
        String base = System.getProperty("isolate.fixtures.out", "target/fixtures");
        Path out = Path.of(target == Target.X86_64 ? base : base + "-" + target.arch).toAbsolutePath();
        Result r = run(List.of("make", "-C", src.toString(), "OUT=" + out, "ARCH=" + target.arch, "-j2"), Duration.ofMinutes(5), true);
        if (r.exit() != 0) {
            fail("building the " + target + " C fixtures failed: " + r.describe());
        }
        FIXTURES.put(target, out);
        return out;
    }

    /** The C sources of the fixtures, {@code src/test/c} (or {@code -Disolate.fixtures.src}). */
    public static Path fixtureSources() {
        return Path.of(System.getProperty("isolate.fixtures.src", "src/test/c")).toAbsolutePath();
    }

    /** {@code <isolate.work>/<name>}, created if missing (contents kept). */
    public static Path work(String name) {
        Path base = Path.of(System.getProperty("isolate.work", "target/test-work")).toAbsolutePath();
        Path p = base.resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** {@code <isolate.work>/<name>}, emptied first. */
    public static Path freshWork(String name) {
        Path p = work(name);
        deleteContents(p);
        return p;
    }

    public static void deleteContents(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            all.remove(dir);
            for (Path p : all) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
