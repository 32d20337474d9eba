package dev.isolate.engine;

import dev.isolate.engine.common.Sha256;
import dev.isolate.engine.common.TempName;
import dev.isolate.engine.common.Trace;
import dev.isolate.engine.consumer.ConsumerArtifacts;
import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.machine.CLibrary;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.plan.Layout;
import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.BundlePolicy;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Links;
import dev.isolate.engine.policy.NameRules;
import dev.isolate.engine.policy.Naming;
import dev.isolate.engine.policy.Preflight;
import dev.isolate.engine.policy.Setting;
import dev.isolate.engine.policy.SymbolPolicy;
import dev.isolate.engine.stubs.StubEmitter;
import dev.isolate.engine.write.OutputImage;
import dev.isolate.engine.write.Rewriter;
import dev.isolate.engine.write.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;

/** The engine's entry point: read, classify, plan, write, verify. No Maven or CLI types here. */
public final class Isolator {
    private Isolator() {}

    /** One member while the bundle is planned and written. */
    private static final class Job {
        final Path input;
        final ElfFile elf;
        final Classification c;
        BundlePolicy.Member plan;
        /** The output's file name, and where it and the new SONAME came from. */
        Naming naming;
        /** The link name of its consumer artifacts; null when none are written (a JNI library, unless asked). */
        String name;
        Future<String> digest;
        ConsumerArtifacts artifacts;
        Path tmp;
        Path target;
        Rewriter.Result result;

        Job(Path input, ElfFile elf, Classification c) {
            this.input = input;
            this.elf = elf;
            this.c = c;
        }

        String key() {
            return elf.soname != null ? elf.soname : input.getFileName().toString();
        }

        /** What the user chose for this member in a per-member setting: by its key, else by its file name. */
        String chosen(Map<String, String> perMember) {
            String v = perMember.get(key());
            return v != null ? v : perMember.get(input.getFileName().toString());
        }

        /**
         * What its default names are derived from: its SONAME when that is a plain library file name, else its
         * file name (JNA's SONAME is a path, {@code ../build/libjnidispatch.so}; netty's has a placeholder,
         * {@code libnetty_tcnative-@VERSION@.so}).
         */
        String nameBase() {
            return NameRules.nameBase(elf.soname, input);
        }

        String fileName() {
            return naming.fileName();
        }
    }

    /**
     * Isolates the libraries of {@code req} together. Every output is written to a temporary name and checked
     * before any is moved into place; on a failure, none is left at its destination.
     */
    public static BundleReport isolate(BundleRequest req) throws IOException {
        List<Job> jobs = plan(req);
        try {
            checkPolicies(req, jobs);
            Files.createDirectories(req.outputDir());
        } catch (IOException | RuntimeException e) {
            cancelDigests(jobs);
            throw e;
        }
        for (Job j : jobs) {
            if (j.name == null) { // no manifest: its digest is not needed
                j.digest.cancel(true);
            }
        }
        Throwable failure = null;
        try {
            for (Job j : jobs) {
                j.target = req.outputDir().resolve(j.fileName());
                j.tmp = TempName.of(req.outputDir(), j.fileName());
                if (j.name != null) { // they depend only on the plan: written meanwhile, on another thread
                    j.artifacts = ConsumerArtifacts.start(req.outputDir(), library(j, null, req),
                            StubEmitter.of(Machine.of(j.elf.ehdr.e_machine())), j.digest);
                }
                write(req, j);
                if (j.artifacts != null) {
                    j.artifacts.finish();
                }
            }
            List<Path> moved = new ArrayList<>();
            long[] moving = Trace.start();
            try {
                for (Job j : jobs) {
                    Files.move(j.tmp, j.target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    moved.add(j.target);
                }
                for (Job j : jobs) {
                    if (j.artifacts != null) {
                        j.artifacts.commit();
                        moved.addAll(j.artifacts.paths());
                    }
                }
            } catch (IOException | RuntimeException e) {
                for (Path p : moved) { // all or nothing
                    Files.deleteIfExists(p);
                }
                throw e;
            }
            Trace.end("move into place", moving);
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            cleanUp(jobs, failure);
        }
        List<Report> reports = new ArrayList<>();
        for (Job j : jobs) {
            reports.add(report(j, j.artifacts == null ? null : j.artifacts.inputSha256(), req, j.target, j.result.image().size(),
                    j.result.reordered()));
        }
        return new BundleReport(reports);
    }

    /** The dry run of a bundle: what {@code isolate} would rename, keep, relink and warn about. Writes nothing. */
    public static BundleReport inspect(BundleRequest req) throws IOException {
        List<Report> reports = new ArrayList<>();
        List<Job> jobs = plan(req);
        try {
            for (Job j : jobs) {
                reports.add(report(j, ConsumerArtifacts.await(j.digest), req, null, 0, false));
            }
        } finally {
            cancelDigests(jobs);
        }
        return new BundleReport(reports);
    }

    /** Checks the members against each other and the policy, before anything is written. */
    private static void checkPolicies(BundleRequest req, List<Job> jobs) {
        Job first = jobs.get(0);
        for (Job j : jobs) {
            refuse(Preflight.sameMachine(j.input, j.elf.ehdr.e_machine(), first.input, first.elf.ehdr.e_machine()));
            long[] t = Trace.start();
            refuse(Preflight.member(j.input, j.elf, j.c, j.plan, req.prefix(), req.werror(), req.allowed()));
            Trace.end("check policy", t);
        }
        for (Job j : jobs) {
            refuse(Preflight.unbundled(j.input, j.plan.unbundled(), req.werror(), req.allowed()));
        }
    }

    /** Raises the refusal of a {@link Preflight} check, if any. */
    private static void refuse(String problem) {
        if (problem != null) {
            throw new IsolateException(problem);
        }
    }

    /** Read and classify every member, then decide the names between them. */
    private static List<Job> plan(BundleRequest req) throws IOException {
        List<Job> jobs = new ArrayList<>();
        try {
            for (Path in : req.inputs()) {
                checkRegularFile(in);
                // The manifest needs the input's SHA-256, the slowest part of a run and the last to end: started
                // first, on a thread of its own, while the input is read, classified and rewritten (the other
                // core has nothing else to do while it is read: libLLVM 20 ms sooner). Cancelled if the input
                // turns out not to be one this tool takes.
                Future<String> digest = ConsumerArtifacts.digest(() -> Sha256.of(in));
                long[] t;
                Classification c;
                ElfFile elf;
                try {
                    elf = open(in);
                    t = Trace.start();
                    c = new SymbolPolicy(req.prefix(), req.excludes()).classify(elf);
                } catch (IOException | RuntimeException e) {
                    digest.cancel(true);
                    throw e;
                }
                Trace.end("classify", t);
                Job j = new Job(in, elf, c);
                j.digest = digest;
                jobs.add(j);
            }
            long[] t = Trace.start();
            Map<String, Naming> naming = naming(req, jobs);
            Map<String, String> newSonames = new HashMap<>();
            for (Job j : jobs) {
                Naming n = naming.get(j.key());
                newSonames.put(j.key(), n.source() == Naming.Source.KEPT ? null : n.fileName());
            }
            List<BundlePolicy.Member> plan = BundlePolicy.plan(jobs.stream()
                    .map(j -> new BundlePolicy.Input(j.key(), j.elf, j.c)).toList(), newSonames);
            Trace.end("plan the bundle", t);
            for (int k = 0; k < jobs.size(); k++) {
                Job j = jobs.get(k);
                j.plan = plan.get(k);
                j.naming = naming.get(j.key());
                // Nothing links against a JNI library: its artifacts only when asked for, by a link name.
                if (!isJni(j) || j.chosen(req.names()) != null) {
                    j.name = linkName(j, req.names());
                }
            }
            refuse(Preflight.outputNames(jobs.stream().map(j -> new Preflight.Output(j.input, j.key(), j.fileName(), j.name,
                    isJni(j))).toList(), req.prefix()));
        } catch (IOException | RuntimeException e) {
            cancelDigests(jobs);
            throw e;
        }
        return jobs;
    }

    private static void cancelDigests(List<Job> jobs) {
        for (Job j : jobs) {
            j.digest.cancel(true);
        }
    }

    private static String soname(Job j) {
        return j.plan.newSoname() != null ? j.plan.newSoname() : j.elf.soname;
    }

    private static Links links(Job j, String runpath) {
        return new Links(j.plan.imports(), j.plan.needed(), runpath, j.plan.unbundled());
    }

    /**
     * Each member's new SONAME and file name by key, and why: the user's choice; else a JNI library keeps both
     * (the JVM loads it by file name and nothing links against it), alone or in a bundle; else the prefix after
     * {@code lib} in its SONAME, or in its file name when it has no SONAME or one that is no plain library file name.
     */
    private static Map<String, Naming> naming(BundleRequest req, List<Job> jobs) {
        for (String k : req.sonames().keySet()) {
            if (jobs.stream().noneMatch(j -> j.key().equals(k) || j.input.getFileName().toString().equals(k))) {
                throw new IsolateException("a SONAME was given for " + k + ", which is not an input of this run");
            }
        }
        Map<String, Naming> out = new HashMap<>();
        for (Job j : jobs) {
            String fileName = j.input.getFileName().toString();
            String old = j.elf.soname;
            boolean plain = old == null || NameRules.isLibraryFileName(old);
            String chosen = j.chosen(req.sonames());
            Naming n;
            if (chosen != null) {
                n = new Naming(outputFileName(j.input, chosen), Naming.Source.USER, "chosen by the user");
            } else if (isJni(j) && (plain || fileName.equals(old))) {
                n = new Naming(fileName, Naming.Source.KEPT, old == null
                        ? "a JNI library keeps its file name and gets no SONAME: the JVM loads it by file name, nothing links against it"
                        : "a JNI library keeps its SONAME and file name: the JVM loads it by file name, nothing links against it");
            } else if (isJni(j)) {
                n = new Naming(fileName, Naming.Source.FILE_NAME, "a JNI library keeps its file name; its SONAME '" + old
                        + "' is not a plain library file name, so it becomes the file name");
            } else {
                String base = j.nameBase();
                String why = base.equals(old) ? "the prefix after 'lib' in the SONAME"
                        : old == null ? "no SONAME: the prefix after 'lib' in the file name " + fileName
                        : "the SONAME '" + old + "' is not a plain library file name: the prefix after 'lib' in the file name "
                                + fileName;
                if (!base.startsWith("lib")) {
                    why = why.replace("after 'lib' in", "in front of");
                }
                n = new Naming(outputFileName(j.input, BundlePolicy.defaultSoname(base, req.prefix())),
                        base.equals(old) ? Naming.Source.SONAME : Naming.Source.FILE_NAME, why);
            }
            out.put(j.key(), n);
        }
        return out;
    }

    private static boolean isJni(Job j) {
        return BundlePolicy.isJniLibrary(j.c);
    }

    /**
     * Deletes every temporary file and stops the helper threads, whatever happened. A failure here is added
     * to the one in flight, if any, rather than hiding it.
     */
    private static void cleanUp(List<Job> jobs, Throwable inFlight) throws IOException {
        IOException first = null;
        for (Job j : jobs) {
            if (j.digest != null) {
                j.digest.cancel(true);
            }
            for (IoStep step : new IoStep[] {() -> {
                if (j.tmp != null) {
                    Files.deleteIfExists(j.tmp);
                }
            }, () -> {
                if (j.artifacts != null) {
                    j.artifacts.close(); // removes what was not committed
                }
            }}) {
                try {
                    step.run();
                } catch (IOException e) {
                    if (inFlight != null) {
                        inFlight.addSuppressed(e);
                    } else if (first == null) {
                        first = e;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    /**
     * The user's link name for the member, or the one its consumers already use: {@code libzstd.so.1} -> {@code zstd},
     * from the SONAME, or from the file name when the SONAME is not a plain library file name.
     */
    private static String linkName(Job j, Map<String, String> names) {
        String requested = j.chosen(names);
        if (requested != null) {
            return requested;
        }
        String base = j.nameBase();
        String name = ArtifactNames.defaultName(base);
        if (!NameRules.isLinkName(name)) {
            throw new IsolateException(j.input + ": no link name can be derived from '" + base + "' (got '" + name
                    + "'); pass " + Setting.LINK_NAME.token());
        }
        return name;
    }

    private static void write(BundleRequest req, Job j) throws IOException {
        ElfFile elf = j.elf;
        Rewriter.Edits edits = new Rewriter.Edits(j.c.renamed(), j.plan.imports(), j.plan.newSoname(), j.plan.needed(),
                req.runpath());
        CompletableFuture<Verifier.Expected> expected;
        try (FileChannel out = FileChannel.open(j.tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE); FileChannel in = FileChannel.open(j.input, StandardOpenOption.READ)) {
            // The unchanged bulk of the file is copied by the kernel while the rewrite is planned.
            long copyLength = Layout.copyLength(elf);
            CompletableFuture<Void> copy = CompletableFuture.runAsync(() -> {
                try {
                    OutputImage.copyThrough(in, out, copyLength);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // And what the verifier will look for in the output, which the classification alone decides.
            expected = CompletableFuture.supplyAsync(() -> Verifier.expect(j.c.renamed(), j.c.kept()));
            try {
                j.result = Rewriter.rewrite(elf, edits);
            } finally {
                awaitCopy(copy);
            }
            if (j.result.image().copyLength() != copyLength) {
                throw new IllegalStateException("copy length changed");
            }
            j.result.image().writeEdits(out);
        }
        copyPermissions(j.input, j.tmp);
        ElfFile written;
        try {
            written = ElfFile.read(j.tmp);
        } catch (ElfFormatException e) { // the input was accepted: what we wrote is at fault, not the user's file
            throw new IsolateException(j.input + ": internal error, the output does not read back (please report): "
                    + e.getMessage().substring(Math.min(e.getMessage().length(), e.file().length() + 2)), e);
        }
        List<String> needed = elf.needed.stream().map(n -> j.plan.needed().getOrDefault(n, n)).toList();
        List<String> problems;
        try {
            problems = Verifier.checkAll(elf, written, Verifier.join(expected), j.plan.imports(), soname(j),
                    Machine.of(elf.ehdr.e_machine()), needed, req.runpath());
        } catch (UncheckedIOException e) { // reading the relocation tables again
            throw e.getCause();
        }
        if (!problems.isEmpty()) {
            throw new IsolateException(j.input + ": internal error, the output failed its own check (please report): "
                    + String.join("; ", problems));
        }
    }

    private static void awaitCopy(CompletableFuture<Void> copy) throws IOException {
        try {
            copy.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    private static void checkRegularFile(Path input) throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString(), null, "not a regular file");
        }
    }

    /** A regular file ({@link #checkRegularFile}), read and checked as an ELF shared library. */
    private static ElfFile open(Path input) throws IOException {
        ElfFile elf = ElfFile.read(input);
        elf.checkGnuHashNames();
        return elf;
    }

    /** The output is named after its SONAME. */
    private static String outputFileName(Path input, String soname) {
        refuse(Preflight.outputFileName(input, soname));
        return NameRules.fileNameFor(soname);
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, p);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
    }

    private static Report report(Job j, String sha256, BundleRequest req, Path out, long size, boolean reordered) {
        return new Report(library(j, sha256, req), out, size, reordered);
    }

    private static Library library(Job j, String sha256, BundleRequest req) {
        Machine m = Machine.of(j.elf.ehdr.e_machine());
        return new Library(j.input, sha256, m.elfName(), CLibrary.platform(m, j.elf.needed), req.prefix(), j.elf.soname, soname(j),
                j.name, j.c, links(j, req.runpath()), j.naming);
    }
}
