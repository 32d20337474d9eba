package dev.isolate.engine;

import dev.isolate.engine.common.Trace;
import dev.isolate.engine.consumer.ConsumerArtifacts;
import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.plan.Layout;
import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.BundlePolicy;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.Links;
import dev.isolate.engine.policy.Naming;
import dev.isolate.engine.policy.Setting;
import dev.isolate.engine.policy.SymbolPolicy;
import dev.isolate.engine.policy.WarningCategory;
import dev.isolate.engine.stubs.StubEmitter;
import dev.isolate.engine.write.OutputImage;
import dev.isolate.engine.write.Rewriter;
import dev.isolate.engine.write.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** The engine's entry point: read, classify, plan, write, verify. No Maven or CLI types here. */
public final class Isolator {
    private Isolator() {}

    /** The dry run: what {@code isolate} would rename, keep and warn about. Writes nothing. */
    public static Report inspect(Path input, String prefix, List<String> excludes, String soname) throws IOException {
        return inspect(input, prefix, excludes, soname, null);
    }

    /** The dry run, with the link name of the consumer artifacts ({@code --name}; null for the default). */
    public static Report inspect(Path input, String prefix, List<String> excludes, String soname, String name)
            throws IOException {
        String key = input.getFileName().toString();
        return inspect(new BundleRequest(List.of(input), input.toAbsolutePath().getParent(), prefix,
                soname == null ? Map.of() : Map.of(key, soname), excludes, false, Set.of(), null,
                name == null ? Map.of() : Map.of(key, name))).members().get(0);
    }

    /** Isolates one library: a bundle of one, whose DT_RUNPATH is left as it is. */
    public static Report isolate(IsolateRequest req) throws IOException {
        Map<String, String> sonames = new HashMap<>();
        if (req.soname() != null) {
            sonames.put(req.input().getFileName().toString(), req.soname());
        }
        Map<String, String> names = req.name() == null ? Map.of() : Map.of(req.input().getFileName().toString(), req.name());
        BundleRequest b = new BundleRequest(List.of(req.input()), req.outputDir(), req.prefix(), sonames, req.excludes(),
                req.werror(), req.allowed(), null, names);
        return isolate(b).members().get(0);
    }

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
            return Isolator.nameBase(elf.soname, input);
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
                j.tmp = req.outputDir().resolve("." + j.fileName() + ".tmp" + ProcessHandle.current().pid());
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
        for (Job j : jobs) {
            if (j.elf.ehdr.e_machine() != jobs.get(0).elf.ehdr.e_machine()) {
                throw new IsolateException(j.input + ": machine " + Machine.of(j.elf.ehdr.e_machine()).platform()
                        + " differs from " + jobs.get(0).input + " (" + Machine.of(jobs.get(0).elf.ehdr.e_machine()).platform()
                        + "): a bundle is for one platform");
            }
            long[] t = Trace.start();
            checkPolicy(req, j);
            Trace.end("check policy", t);
        }
        checkUnbundled(req, jobs);
    }

    /**
     * Every output of the run, libraries and artifacts, gets a name of its own: no artifact may overwrite a
     * library (a linker script named like the JNI library a loader looks for would silently replace it) or
     * another artifact. Checked by {@code inspect} too: a dry run refuses what the real one would.
     */
    private static void checkNames(BundleRequest req, List<Job> jobs) {
        Set<String> keys = new HashSet<>();
        Map<String, Job> libraries = new HashMap<>();
        for (Job j : jobs) {
            if (!keys.add(j.key())) {
                throw new IsolateException(j.input + ": two members of the bundle are named " + j.key());
            }
            Job other = libraries.putIfAbsent(j.fileName(), j);
            if (other != null) {
                throw new IsolateException(j.input + ": two outputs of the bundle would be named " + j.fileName() + " (this one and "
                        + other.input + "); pass " + Setting.SONAME.token() + " for one of them");
            }
        }
        Set<String> artifacts = new HashSet<>();
        for (Job j : jobs) {
            if (j.name == null) {
                continue;
            }
            ArtifactNames names = new ArtifactNames(j.name, req.prefix());
            checkScriptCanName(j.input, j.fileName());
            for (String a : names.all()) {
                Job owner = libraries.get(a);
                if (owner == j) {
                    throw new IsolateException(j.input + ": the artifact " + a + " for -l" + names.name()
                            + " would overwrite the library of the same name; pass another " + Setting.LINK_NAME.token()
                            + (isJni(j) ? "" : " or " + Setting.SONAME.token()));
                }
                if (owner != null) {
                    throw new IsolateException(j.input + ": the artifact " + a + " for -l" + names.name()
                            + " would overwrite the library " + a + " of " + owner.input + "; pass another " + Setting.LINK_NAME.token());
                }
                if (!artifacts.add(a)) {
                    throw new IsolateException(j.input + ": its artifact " + a + " would overwrite another output of the"
                            + " bundle; give the members other link names");
                }
            }
        }
    }

    /** Read and classify every member, then decide the names between them. */
    private static List<Job> plan(BundleRequest req) throws IOException {
        List<Job> jobs = new ArrayList<>();
        try {
            for (Path in : req.inputs()) {
                ElfFile elf = open(in);
                // The manifest needs the input's SHA-256, the slowest part of a run: started as soon as the
                // input is known to be an ELF file, on a thread of its own, while it is classified and rewritten.
                Future<String> digest = ConsumerArtifacts.digest(() -> sha256(in));
                long[] t = Trace.start();
                Classification c;
                try {
                    c = new SymbolPolicy(req.prefix(), req.excludes()).classify(elf);
                } catch (RuntimeException e) {
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
            checkNames(req, jobs);
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
            boolean plain = old == null || isLibraryFileName(old);
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

    /** A library's own name: its SONAME when that is a plain library file name, else its file name. */
    static String nameBase(String soname, Path input) {
        return soname != null && isLibraryFileName(soname) ? soname : input.getFileName().toString();
    }

    /**
     * A SONAME to derive names from: a plain library file name such as {@code libzstd.so.1}, {@code libLLVM-15.so.1}
     * or {@code ld-linux-x86-64.so.2}. Not a path ({@code ../build/libjnidispatch.so}), not a build-system placeholder
     * ({@code libnetty_tcnative-@VERSION@.so}), nothing with blanks or other characters a link name cannot hold.
     */
    static boolean isLibraryFileName(String soname) {
        return LIBRARY_FILE_NAME.matcher(soname).matches();
    }

    private static final java.util.regex.Pattern LIBRARY_FILE_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_+.-]*\\.so(\\.[A-Za-z0-9_+.-]*)?");

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
        if (!ArtifactNames.VALID_NAME.matcher(name).matches()) {
            throw new IsolateException(j.input + ": no link name can be derived from '" + base + "' (got '" + name
                    + "'); pass " + Setting.LINK_NAME.token());
        }
        return name;
    }

    /** The linker script names the library by its file name, in quotes. */
    private static void checkScriptCanName(Path input, String fileName) {
        if (fileName.indexOf('"') >= 0 || fileName.chars().anyMatch(ch -> ch < 0x20)) {
            throw new IsolateException(input + ": the output name '" + fileName
                    + "' has a quote or a control character, which a linker script cannot name; pass " + Setting.SONAME.token());
        }
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

    private static ElfFile open(Path input) throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString(), null, "not a regular file");
        }
        ElfFile elf = ElfFile.read(input);
        elf.checkGnuHashNames();
        return elf;
    }

    /** The output is named after its SONAME, so the SONAME must be a name, and one this file system can spell. */
    private static String outputFileName(Path input, String soname) {
        String hint = "; pass " + Setting.SONAME.token() + " to choose one";
        if (!IsolateRequest.isPlainFileName(soname)) {
            throw new IsolateException(input + ": the new SONAME '" + soname + "' is not a plain file name" + hint);
        }
        String name = IsolateRequest.fileNameFor(soname);
        if (name == null) {
            throw new IsolateException(input + ": the new SONAME '" + soname + "' has bytes that the file-name encoding "
                    + System.getProperty("sun.jnu.encoding") + " cannot spell" + hint);
        }
        return name;
    }

    private static void checkPolicy(BundleRequest req, Job j) {
        String file = j.input.toString();
        ElfFile elf = j.elf;
        Classification c = j.c;
        String soname = j.plan.newSoname();
        if (soname != null && elf.soname != null && elf.soname.equals(soname)) {
            throw new IsolateException(file + ": the SONAME is already " + soname + ": nothing to isolate");
        }
        boolean allPrefixed = c.renamed().stream().allMatch(e -> e.name().startsWith(req.prefix()))
                && (!c.renamed().isEmpty() || !j.plan.imports().isEmpty() || soname != null);
        if (allPrefixed && j.plan.imports().isEmpty() && elf.soname != null
                && (elf.soname.startsWith("lib" + req.prefix()) || elf.soname.startsWith(req.prefix()))) {
            throw new IsolateException(file + ": already isolated with prefix '" + req.prefix() + "' (SONAME "
                    + elf.soname + ", every export starts with the prefix); refusing to prefix twice");
        }
        // A new name is the prefix and the old name: only a defined name that starts with the prefix can
        // be one. Those are looked at as bytes (usually there are none); the 45k others are never decoded.
        Set<String> defined = new HashSet<>();
        byte[] p = req.prefix().getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 1; i < elf.syms.length; i++) {
            if (elf.syms[i].isDefined() && elf.nameStartsWith(i, p)) {
                defined.add(elf.name(i));
            }
        }
        for (Export e : defined.isEmpty() ? List.<Export>of() : c.renamed()) {
            if (defined.contains(e.newName())) {
                throw new IsolateException(file + ": renaming " + e.name() + " would collide with the existing export "
                        + e.newName() + "; choose another prefix or " + Setting.EXCLUDE.token() + " one of them");
            }
        }
        if (req.werror()) {
            Map<WarningCategory, List<Export>> w = c.warnings();
            w.keySet().removeAll(req.allowed());
            if (!w.isEmpty()) {
                String list = w.entrySet().stream().map(en -> en.getKey().id() + " (" + en.getValue().size() + ", e.g. "
                        + en.getValue().get(0).name() + ")").collect(Collectors.joining(", "));
                throw new IsolateException(file + ": warnings are errors (" + Setting.WERROR.token() + "): " + list
                        + "; allow a category with " + Setting.ALLOW.token("<category>"));
            }
        }
    }

    /** Alone or with others: a glue given without the library it was linked against is the likeliest mistake. */
    private static void checkUnbundled(BundleRequest req, List<Job> jobs) {
        if (!req.werror() || req.allowed().contains(WarningCategory.UNBUNDLED_DEPENDENCY)) {
            return;
        }
        for (Job j : jobs) {
            if (!j.plan.unbundled().isEmpty()) {
                throw new IsolateException(j.input + ": warnings are errors (" + Setting.WERROR.token() + "): "
                        + WarningCategory.UNBUNDLED_DEPENDENCY.id() + " (" + Links.needs(String.join(", ", j.plan.unbundled()))
                        + "); allow it with "
                        + Setting.ALLOW.token(WarningCategory.UNBUNDLED_DEPENDENCY.id()));
            }
        }
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
        return new Library(j.input, sha256, m.elfName(), m.platform(), req.prefix(), j.elf.soname, soname(j), j.name, j.c,
                links(j, req.runpath()), j.naming);
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
