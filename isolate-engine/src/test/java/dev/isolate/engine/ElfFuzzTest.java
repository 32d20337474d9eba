package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.write.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the whole engine (Jazzer): any bytes, isolated as a library, either give an
 * output that reads back and passes the engine's own {@link Verifier} again, or are refused with the
 * engine's one exception for bad input, in one line, leaving nothing behind; never another exception, a
 * hang, or an output larger than what the rewrite can add. As Go's {@code debug/elf} fuzz tests: nothing
 * but the format error escapes.
 *
 * <p>{@code mvn test} replays the corpus of {@code src/test/resources/dev/isolate/engine/ElfFuzzTestInputs/}
 * (small seeds, x86_64 and aarch64, and every input that once broke the contract); {@code mvn verify}
 * then fuzzes for {@code isolate.fuzz.seconds} (the {@code fuzz} execution of the pom; docs/testing.md).
 */
class ElfFuzzTest {
    static final String PREFIX = "fz_";
    /**
     * What an output may add to its input: a copy of the moved tables (at most the input), each new name
     * with its NUL, a GNU and a SysV hash table (at most 32 bytes a symbol with their buckets and bloom
     * words), and alignment padding (at most 1 MiB: a 64 KiB page, the section header table realigned).
     */
    static final long SLACK = 1 << 20;

    private static final Path DIR = scratch();
    private static final Path INPUT = DIR.resolve("in").resolve("libfuzz.so");
    private static final Path OUT = DIR.resolve("out");

    /**
     * A tmpfs when there is one (the input and outputs are written on every run), else the test work directory. The
     * same path in every run (slot 0, unless another JVM holds it): the input's path reaches the fuzzer's dictionary
     * through the messages compared, so a path with a pid in it made every run, CI's included, take another course.
     */
    private static Path scratch() {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? lockedSlot(shm.resolve("isolate-fuzz")) : Tools.work("fuzz");
        try {
            Files.createDirectories(dir.resolve("in"));
            Files.createDirectories(dir.resolve("out"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (dir.startsWith(shm)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (Files.isDirectory(dir)) {
                    Tools.deleteContents(dir);
                }
            }));
        }
        return dir;
    }

    /**
     * The slot's lock, held as long as this JVM runs. A field, not a local: an unreachable channel is closed by its
     * cleaner, which released the lock and let a second JVM (a replaying `mvn test`) rewrite this one's input while
     * it was being copied ("input ended after 6160 of 8572 bytes").
     */
    private static FileChannel slotLock;

    /** The first of {@code base/0}, {@code base/1}, ... whose lock this JVM gets, held until it exits. */
    private static Path lockedSlot(Path base) {
        try {
            Files.createDirectories(base);
            for (int slot = 0; ; slot++) {
                FileChannel lock = FileChannel.open(base.resolve(slot + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                if (lock.tryLock() != null) {
                    slotLock = lock;
                    return base.resolve(String.valueOf(slot));
                }
                lock.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A hang: one input taking longer than this. Fuzzing, libFuzzer's {@code -timeout} (the pom) reports it; replaying,
     * the input runs on a watched thread. Not JUnit's {@code @Timeout}: that would time the whole fuzzing run, and
     * its interrupt poisons every later input ({@code ClosedByInterruptException}).
     */
    static final Duration HANG = Duration.ofSeconds(10);
    private static final boolean FUZZING = !System.getenv().getOrDefault("JAZZER_FUZZ", "").isEmpty();

    @FuzzTest(maxDuration = "90s")
    void isolateAnyBytes(byte[] data) throws IOException {
        if (FUZZING) {
            isolate(data);
        } else {
            assertTimeoutPreemptively(HANG, () -> isolate(data), "isolate did not finish within " + HANG.toSeconds() + " s");
        }
    }

    private static void isolate(byte[] data) throws IOException {
        Files.write(INPUT, data);
        Tools.deleteContents(OUT);
        Report r;
        try {
            r = Checks.isolate(INPUT, OUT, PREFIX);
        } catch (ElfFormatException | IsolateException e) {
            refusedCleanly(e);
            return;
        }
        acceptedSoundly(data, r);
    }

    /** One line, about the input, blaming it (not the engine), and nothing left in the output directory. */
    private static void refusedCleanly(RuntimeException e) throws IOException {
        String m = e.getMessage();
        assertTrue(m.startsWith(INPUT + ": "), "the refusal names the input first: " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "the refusal is one line: " + m);
        if (e instanceof ElfFormatException f) {
            assertTrue(f.located() && m.contains(" at byte 0x"), "a malformed input's refusal names a byte offset: " + m);
        }
        // At the start: a name quoted later may say anything (the fuzzer put "internal error" in a SONAME).
        assertFalse(m.startsWith(INPUT + ": internal error"), "bad input is reported as bad input, not as an engine fault: " + m);
        assertEquals(List.of(), list(OUT), "files left in the output directory after: " + m);
    }

    /** Written where asked, no larger than the rewrite can make it, and it reads back and verifies again. */
    private static void acceptedSoundly(byte[] data, Report r) throws IOException {
        Path out = r.output();
        assertEquals(OUT, out.getParent(), "the output's directory");
        for (String name : list(OUT)) {
            assertFalse(name.startsWith("."), "a temporary file left next to the output: " + name);
        }
        ElfFile in = ElfFile.read(data, INPUT.toString());
        Classification c = r.classification();
        long names = 0;
        for (Export e : c.renamed()) {
            names += e.newName().length() + 1;
        }
        long bound = 2L * data.length + names + 32L * in.syms.length + SLACK;
        long size = Files.size(out);
        assertTrue(size <= bound, "output of " + size + " bytes from " + data.length + " input bytes; at most " + bound);
        ElfFile written = ElfFile.read(out);
        List<String> needed = in.needed.stream().map(n -> r.links().needed().getOrDefault(n, n)).toList();
        List<String> problems = Verifier.checkAll(in, written, Verifier.expect(c.renamed(), c.kept()), r.links().imports(),
                r.newSoname(), Machine.of(in.ehdr.e_machine()), needed, r.links().runpath());
        assertEquals(List.of(), problems, "the accepted output fails the Verifier read back");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
