package dev.isolate.engine.consumer;

import dev.isolate.engine.common.TempName;
import dev.isolate.engine.common.Trace;
import dev.isolate.engine.json.Json;
import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.stubs.StubEmitter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Writes the four artifacts for native consumers of one isolated library ({@link ArtifactNames}): the
 * stub archive, the linker script, the redirect header and the manifest. They only depend on the
 * classification, so they are written on two threads of their own while the library is rewritten
 * (the stub archive, script and header on one, the manifest on the other: the library is done well
 * before the artifacts, and one thread left the other core idle meanwhile), under temporary names; {@link #commit} moves them into place once the caller's own output has succeeded,
 * and {@link #close} removes whatever was not committed. The manifest also needs the input's SHA-256,
 * the slowest thing to compute: {@link #digest} starts it on another thread, as early as the caller
 * likes. Usage:
 *
 * <pre>
 *   Future&lt;String&gt; sha = ConsumerArtifacts.digest(() -&gt; sha256(input));
 *   ... read and classify ...
 *   try (ConsumerArtifacts a = ConsumerArtifacts.start(dir, lib, emitter, sha)) {
 *       ... write the library to a temporary name ...
 *       a.finish();           // waits; throws what the writer threw
 *       move the library into place;
 *       a.commit();
 *   }
 * </pre>
 */
public final class ConsumerArtifacts implements AutoCloseable {
    private static final int SHA256_HEX_LENGTH = 64;

    private final Path dir;
    private final Library lib;
    private final StubEmitter emitter;
    private final Future<String> inputDigest;
    private final List<Path> temps = new ArrayList<>();
    private final List<Path> targets = new ArrayList<>();
    /** The stub archive, linker script and header; the manifest. */
    private final Thread[] workers;
    private final Throwable[] failures = new Throwable[2];
    private volatile String sha256;
    private boolean committed;

    private ConsumerArtifacts(Path dir, Library lib, StubEmitter emitter, Future<String> inputDigest) {
        this.dir = dir;
        this.lib = lib;
        this.emitter = emitter;
        this.inputDigest = inputDigest;
        for (String name : lib.artifacts().all()) {
            targets.add(dir.resolve(name));
            temps.add(TempName.of(dir, name));
        }
        this.workers = new Thread[] {daemon(() -> run(0, this::writeFiles), "isolate-consumer-artifacts"),
            daemon(() -> run(1, this::writeManifest), "isolate-consumer-manifest")};
    }

    /** Starts computing the input's digest on a daemon thread of its own. */
    public static Future<String> digest(Callable<String> digest) {
        FutureTask<String> task = new FutureTask<>(() -> {
            long[] t = Trace.start();
            try {
                return digest.call();
            } finally {
                Trace.end("input digest (background)", t);
            }
        });
        daemon(task, "isolate-input-digest").start();
        return task;
    }

    /**
     * Starts writing the artifacts of {@code lib} into {@code dir} (which must exist) under temporary
     * names; the manifest waits for {@code inputDigest} (see {@link #digest}).
     */
    public static ConsumerArtifacts start(Path dir, Library lib, StubEmitter emitter, Future<String> inputDigest) {
        ConsumerArtifacts a = new ConsumerArtifacts(dir, lib, emitter, inputDigest);
        for (Thread t : a.workers) {
            t.start();
        }
        return a;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private interface Part {
        void write() throws Exception;
    }

    private void run(int i, Part part) {
        try {
            part.write();
        } catch (Throwable t) {
            failures[i] = t; // read after join, which orders it
        }
    }

    private void writeFiles() throws Exception {
        long[] t0 = Trace.start();
        try (FileChannel ch = FileChannel.open(temps.get(0), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            StubArchive.write(ch, lib.stubs(), emitter);
        }
        Trace.end("artifacts: stub archive", t0);
        t0 = Trace.start();
        try (TextFile t = new TextFile(temps.get(1))) {
            LinkerScript.write(t, lib);
        }
        try (TextFile t = new TextFile(temps.get(2))) {
            RedirectHeader.write(t, lib);
        }
        Trace.end("artifacts: script, header", t0);
        permissions(0, 3);
    }

    private void writeManifest() throws Exception {
        // The manifest is written while the digest is still being computed, with a placeholder of the
        // digest's length where the digest goes, which is then overwritten in place.
        long[] t0 = Trace.start();
        String placeholder = "0".repeat(SHA256_HEX_LENGTH);
        long at;
        try (TextFile t = new TextFile(temps.get(3))) {
            t.mark(placeholder);
            Json.write(t, Manifest.toJson(lib.withSha256(placeholder)));
            at = t.markedAt();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (at < 0) {
            throw new IllegalStateException("the manifest has no place for the input's digest");
        }
        Trace.end("artifacts: manifest", t0);
        sha256 = await(inputDigest);
        if (sha256.length() != SHA256_HEX_LENGTH) {
            throw new IllegalStateException("a SHA-256 of " + sha256.length() + " hex digits");
        }
        try (FileChannel ch = FileChannel.open(temps.get(3), StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(sha256.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b, at + b.position());
            }
        }
        permissions(3, 4);
    }

    /** rw-r--r-- for the temporary files [from, to). */
    private void permissions(int from, int to) throws IOException {
        for (Path t : temps.subList(from, to)) {
            try {
                Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default
            }
        }
    }

    /** Waits for a {@link #digest}; rethrows its failure. */
    public static String await(Future<String> digest) throws IOException {
        try {
            return digest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while computing a digest");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Throws {@code t} as what it is when it is an IOException or unchecked; wraps anything else. */
    private static IllegalStateException rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        } else if (t instanceof RuntimeException r) {
            throw r;
        } else if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(t);
    }

    /** Waits for the writers; rethrows the first failure. */
    public void finish() throws IOException {
        join();
        Throwable t = failures[0] != null ? failures[0] : failures[1];
        if (t != null) {
            throw rethrow(t);
        }
    }

    /** The input's SHA-256 (after {@link #finish}). */
    public String inputSha256() {
        return sha256;
    }

    /** The artifacts' final paths, in the order of {@link ArtifactNames#all}. */
    public List<Path> paths() {
        return List.copyOf(targets);
    }

    /** Moves the finished artifacts into place. */
    public void commit() throws IOException {
        finish();
        for (int i = 0; i < temps.size(); i++) {
            Files.move(temps.get(i), targets.get(i), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Waits for the writers and deletes every temporary file that was not committed. */
    @Override
    public void close() throws IOException {
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!committed) {
            // every one tried: the two writers fail independently, and a failed one (or an entry in
            // the way of its temporary name) must not leave the other's file behind
            IOException first = null;
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private void join() throws InterruptedIOException {
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the artifacts in " + dir);
        }
    }
}
