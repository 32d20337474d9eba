package dev.isolate.engine;

import dev.isolate.engine.consumer.ArtifactNames;
import dev.isolate.engine.consumer.ConsumerArtifacts;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.policy.Classification;
import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.SymbolPolicy;
import dev.isolate.engine.policy.WarningCategory;
import dev.isolate.engine.plan.Layout;
import dev.isolate.engine.write.OutputImage;
import dev.isolate.engine.write.Rewriter;
import dev.isolate.engine.write.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        IsolateRequest.validatePrefix(prefix);
        ElfFile elf = open(input);
        Classification c = new SymbolPolicy(prefix, excludes).classify(elf);
        return report(input, sha256(input), elf, prefix, c, newSoname(elf, input, prefix, soname),
                linkName(elf, input, name), null, 0, false);
    }

    public static Report isolate(IsolateRequest req) throws IOException {
        // The manifest needs the input's SHA-256, the slowest part of a run: started first, on its own thread.
        Future<String> digest = ConsumerArtifacts.digest(() -> sha256(req.input()));
        try {
            return isolate(req, digest);
        } finally {
            digest.cancel(true); // stops it when the run failed before the manifest needed it
        }
    }

    private static Report isolate(IsolateRequest req, Future<String> digest) throws IOException {
        ElfFile elf = open(req.input());
        Classification c = new SymbolPolicy(req.prefix(), req.excludes()).classify(elf);
        String soname = newSoname(elf, req.input(), req.prefix(), req.soname());
        checkPolicy(req, elf, c, soname);

        String fileName = outputFileName(req.input(), soname);
        String name = linkName(elf, req.input(), req.name());
        checkArtifactNames(req.input(), fileName, soname, new ArtifactNames(name, req.prefix()));
        Files.createDirectories(req.outputDir());
        Path target = req.outputDir().resolve(fileName);
        Path tmp = req.outputDir().resolve("." + fileName + ".tmp" + ProcessHandle.current().pid());
        Rewriter.Result r;
        // The consumer artifacts depend only on the classification: written meanwhile, on another thread.
        ConsumerArtifacts artifacts = ConsumerArtifacts.start(req.outputDir(),
                report(req.input(), null, elf, req.prefix(), c, soname, name, null, 0, false).library(),
                Machine.of(elf.ehdr.e_machine()).stubEmitter(), digest);
        try (artifacts) {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE); FileChannel in = FileChannel.open(req.input(), StandardOpenOption.READ)) {
                // The unchanged bulk of the file is copied by the kernel while the rewrite is planned.
                long copyLength = Layout.copyLength(elf);
                CompletableFuture<Void> copy = CompletableFuture.runAsync(() -> {
                    try {
                        OutputImage.copyThrough(in, out, copyLength);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                try {
                    r = Rewriter.rewrite(elf, c.renamed(), soname);
                } finally {
                    awaitCopy(copy);
                }
                if (r.image().copyLength() != copyLength) {
                    throw new IllegalStateException("copy length changed");
                }
                r.image().writeEdits(out);
            }
            copyPermissions(req.input(), tmp);
            ElfFile written = ElfFile.read(tmp);
            List<String> problems = Verifier.check(written, c.renamed(), c.kept(), soname,
                    Machine.of(elf.ehdr.e_machine()).maxPageSize());
            if (!problems.isEmpty()) {
                throw new IsolateException(req.input() + ": internal error, the output failed its own check (please report): "
                        + String.join("; ", problems));
            }
            artifacts.finish();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            artifacts.commit();
        } finally {
            Files.deleteIfExists(tmp);
        }
        return report(req.input(), artifacts.inputSha256(), elf, req.prefix(), c, soname, name, target, r.image().size(),
                r.reordered());
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
        return ElfFile.read(input);
    }

    private static String newSoname(ElfFile elf, Path input, String prefix, String requested) {
        if (requested != null) {
            return requested;
        }
        String base = elf.soname != null ? elf.soname : input.getFileName().toString();
        return IsolateRequest.defaultSoname(base, prefix);
    }

    /** {@code --name}, or the input's own link name: {@code libzstd.so.1} -> {@code zstd}. */
    private static String linkName(ElfFile elf, Path input, String requested) {
        if (requested != null) {
            return requested;
        }
        String from = elf.soname != null ? elf.soname : input.getFileName().toString();
        String name = ArtifactNames.defaultName(from);
        if (!ArtifactNames.VALID_NAME.matcher(name).matches()) {
            throw new IsolateException(input + ": no link name can be derived from '" + from + "' (got '" + name
                    + "'); pass --name");
        }
        return name;
    }

    /** No artifact may overwrite the library, and the linker script must be able to quote the SONAME. */
    private static void checkArtifactNames(Path input, String fileName, String soname, ArtifactNames names) {
        if (names.all().contains(fileName)) {
            throw new IsolateException(input + ": the artifact " + fileName + " for -l" + names.name()
                    + " would overwrite the library of the same name; pass another --name or --soname");
        }
        if (soname.indexOf('"') >= 0 || soname.chars().anyMatch(ch -> ch < 0x20)) {
            throw new IsolateException(input + ": the new SONAME '" + soname
                    + "' has a quote or a control character, which a linker script cannot name; pass --soname");
        }
    }

    /** The output is named after its SONAME, so the SONAME must be a name, and one this file system can spell. */
    private static String outputFileName(Path input, String soname) {
        String hint = "; pass --soname to choose one";
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

    private static void checkPolicy(IsolateRequest req, ElfFile elf, Classification c, String soname) {
        String file = req.input().toString();
        if (elf.soname != null && elf.soname.equals(soname)) {
            throw new IsolateException(file + ": the SONAME is already " + soname + ": nothing to isolate");
        }
        boolean allPrefixed = !c.renamed().isEmpty() && c.renamed().stream().allMatch(e -> e.name().startsWith(req.prefix()));
        if (allPrefixed && elf.soname != null && elf.soname.startsWith("lib" + req.prefix())) {
            throw new IsolateException(file + ": already isolated with prefix '" + req.prefix() + "' (SONAME "
                    + elf.soname + ", every export starts with the prefix); refusing to prefix twice");
        }
        Set<String> defined = new HashSet<>();
        for (int i = 1; i < elf.syms.length; i++) {
            if (elf.syms[i].isDefined()) {
                defined.add(elf.names[i]);
            }
        }
        for (Export e : c.renamed()) {
            if (defined.contains(e.newName())) {
                throw new IsolateException(file + ": renaming " + e.name() + " would collide with the existing export "
                        + e.newName() + "; choose another prefix or --exclude one of them");
            }
        }
        if (req.werror()) {
            Map<WarningCategory, List<Export>> w = c.warnings();
            w.keySet().removeAll(req.allowed());
            if (!w.isEmpty()) {
                String list = w.entrySet().stream().map(en -> en.getKey().id() + " (" + en.getValue().size() + ", e.g. "
                        + en.getValue().get(0).name() + ")").collect(Collectors.joining(", "));
                throw new IsolateException(file + ": warnings are errors (--werror): " + list
                        + "; allow a category with --allow-<category>");
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

    private static Report report(Path input, String sha256, ElfFile elf, String prefix, Classification c, String soname,
            String name, Path out, long size, boolean reordered) {
        Machine m = Machine.of(elf.ehdr.e_machine());
        return new Report(input, sha256, m.name().toLowerCase(java.util.Locale.ROOT), m.platform(), prefix,
                elf.soname, soname, name, c, out, size, reordered);
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
