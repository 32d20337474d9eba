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
 * and scratch directories under {@code isolate.work}.
 */
final class Tools {
    private Tools() {}

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /** Debian packages providing the tools the tests use. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(Map.entry("gcc", "gcc"), Map.entry("g++", "g++"),
            Map.entry("eu-elflint", "elfutils"), Map.entry("eu-strip", "elfutils"), Map.entry("eu-readelf", "elfutils"),
            Map.entry("ld.lld", "lld"), Map.entry("strip", "binutils"), Map.entry("objcopy", "binutils"),
            Map.entry("readelf", "binutils"), Map.entry("ld", "binutils"), Map.entry("make", "make"),
            Map.entry("ar", "binutils"), Map.entry("nm", "binutils"), Map.entry("objdump", "binutils"),
            Map.entry("ld.gold", "binutils"), Map.entry("autoconf", "autoconf"));

    /** The outcome of one command. {@code out} and {@code err} are separate unless the command merged them. */
    record Result(List<String> command, int exit, String out, String err) {
        /** Everything the command printed, for assertion messages. */
        String all() {
            return err.isEmpty() ? out : out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + err;
        }

        String describe() {
            return "`" + String.join(" ", command) + "` exited " + exit + "\n" + tail(all(), 4000);
        }

        /** Fails unless the exit code is 0. */
        Result ok() {
            if (exit != 0) {
                fail(describe());
            }
            return this;
        }
    }

    static boolean isCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips the test when {@code tool} is not on PATH, or fails it under CI=true naming the Debian package. */
    static void require(String tool) {
        if (onPath(tool)) {
            return;
        }
        String pkg = PACKAGES.getOrDefault(tool, tool);
        String msg = "'" + tool + "' is not on PATH (Debian package: " + pkg + "; apt-get install " + pkg + ")";
        if (isCi()) {
            fail(msg);
        }
        Assumptions.abort(msg);
    }

    static void require(String... tools) {
        for (String t : tools) {
            require(t);
        }
    }

    /** Skips the test when {@code file} does not exist, or fails it under CI=true naming the Debian package. */
    static void requireFile(Path file, String debianPackage) {
        if (Files.isRegularFile(file)) {
            return;
        }
        String msg = file + " does not exist (Debian package: " + debianPackage + ")";
        if (isCi()) {
            fail(msg);
        }
        Assumptions.abort(msg);
    }

    static boolean onPath(String tool) {
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

    static Result run(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT, false);
    }

    static Result runMerged(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT, true);
    }

    /**
     * Runs a command with stdin closed; output goes through temporary files, so large outputs (readelf on
     * libLLVM) cannot block the child. On timeout the process tree is killed and the test fails.
     */
    static Result run(List<String> command, Duration timeout, boolean merge) {
        Path outFile = null;
        Path errFile = null;
        try {
            Path dir = work("proc");
            outFile = Files.createTempFile(dir, "out", ".txt");
            errFile = merge ? null : Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(outFile.toFile());
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

    static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    private static Path fixtures;

    /** Builds the C fixtures once per JVM ({@code make -C src OUT=out -j2}) and returns the output directory. */
    static synchronized Path fixtures() {
        if (fixtures != null) {
            return fixtures;
        }
        require("make", "gcc", "g++", "ld.lld", "strip");
        Path src = Path.of(System.getProperty("isolate.fixtures.src", "src/test/c")).toAbsolutePath();
        Path out = Path.of(System.getProperty("isolate.fixtures.out", "target/fixtures")).toAbsolutePath();
        Result r = run(List.of("make", "-C", src.toString(), "OUT=" + out, "-j2"), Duration.ofMinutes(5), true);
        if (r.exit() != 0) {
            fail("building the C fixtures failed: " + r.describe());
        }
        fixtures = out;
        return out;
    }

    /** {@code <isolate.work>/<name>}, created if missing (contents kept). */
    static Path work(String name) {
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
    static Path freshWork(String name) {
        Path p = work(name);
        deleteContents(p);
        return p;
    }

    static void deleteContents(Path dir) {
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
