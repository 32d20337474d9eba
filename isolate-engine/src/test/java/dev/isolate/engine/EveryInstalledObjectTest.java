package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.elf.ElfFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every ELF shared object installed under {@code /usr/lib} (the JDKs of {@code /usr/lib/jvm} among them) and the
 * aarch64 cross sysroot, found by its header (ET_DYN with a PT_DYNAMIC, whatever its name: Python extensions,
 * JDK and GCC plugins, {@code ld.so}, PIE executables), each content once. Each is isolated or refused: a
 * refusal is the engine's exception, one line, naming the file, and never "internal error"; an x86_64 output
 * whose input loads alone loads too with all its renamed names resolving into it (dlcheck), and an aarch64
 * one likewise under qemu. The summary (found, isolated, refused by reason) is printed; docs/testing.md
 * quotes it. {@link EveryInstalledLibraryTest} keeps its narrower sweep of {@code /usr/lib/x86_64-linux-gnu}.
 */
class EveryInstalledObjectTest {
    static final List<Path> ROOTS = List.of(Path.of("/usr/lib"), Path.of("/usr/lib/jvm"), Path.of(Target.AARCH64_SYSROOT));
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;

    /** An object found by its header. */
    record Found(Path path, boolean elf64, int machine, boolean interp) {}

    @Test
    void eachIsIsolatedOrRefusedInOneLineAndOutputsLoadAsTheirInputs() throws IOException {
        Tools.require("gcc");
        Path dlcheck = Target.X86_64.fixtures().resolve("dlcheck");
        Path dlcheckArm = Target.AARCH64.fixtures().resolve("dlcheck");
        long started = System.nanoTime();
        int[] candidates = {0};
        List<Found> all = unique(find(candidates));
        Path work = Tools.freshWork("every-object");
        Map<String, Integer> byMachine = new TreeMap<>();
        int withInterp = 0;
        Map<String, Integer> refusedBy = new TreeMap<>();
        Map<String, Path> example = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> noOffset = new ArrayList<>();
        Set<String> isolatedNames = new TreeSet<>();
        int isolated = 0;
        int loaded = 0;
        int loadedArm = 0;
        for (Found f : all) {
            byMachine.merge(machineName(f), 1, Integer::sum);
            withInterp += f.interp() ? 1 : 0;
            Path out = work.resolve("out");
            Tools.deleteContents(work);
            Report r;
            try {
                r = Checks.isolate(f.path(), out, Checks.PREFIX);
            } catch (ElfFormatException | IsolateException e) {
                String m = e.getMessage();
                refusedBy.merge(reason(f.path(), m), 1, Integer::sum);
                example.putIfAbsent(reason(f.path(), m), f.path());
                if (!m.startsWith(f.path() + ": ") || m.contains("\n") || m.startsWith(f.path() + ": internal error")) {
                    problems.add(f.path() + ": refused with " + m);
                }
                if (e instanceof ElfFormatException x && x.offset() < 0) {
                    noOffset.add(m);
                }
                continue;
            } catch (RuntimeException e) {
                problems.add(f.path() + ": escaped " + e);
                continue;
            }
            isolated++;
            isolatedNames.add(f.path().getFileName().toString());
            Target target = f.machine() == EM_X86_64 ? Target.X86_64 : f.machine() == EM_AARCH64 ? Target.AARCH64 : null;
            if (target == null) {
                continue;
            }
            Path check = target == Target.X86_64 ? dlcheck : dlcheckArm;
            if (Tools.run(target.command(check, f.path().toString()), Duration.ofSeconds(60), true).exit() != 0) {
                continue; // the input itself does not load alone here (it needs a preload, a host program or its plugin host)
            }
            Path names = work.resolve("names.txt");
            Files.write(names, Checks.nameLines(r));
            originLinks(f.path(), r.output().getParent());
            // The input's directory stands in for its $ORIGIN (glibc's gconv modules need libGB.so and others next to them).
            List<String> cmd = new ArrayList<>(List.of("env", "LD_LIBRARY_PATH=" + f.path().getParent()));
            cmd.addAll(target.command(check, r.output().toString(), names.toString()));
            Tools.Result c = Tools.run(cmd, Duration.ofSeconds(60), true);
            if (c.exit() != 0 && !EveryInstalledLibraryTest.onlyVdso(c.out())) {
                problems.add(f.path() + " -> " + r.output() + ": " + Tools.tail(c.out(), 600));
            } else if (target == Target.X86_64) {
                loaded++;
            } else {
                loadedArm++;
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        StringBuilder summary = new StringBuilder("every installed ELF shared object under " + ROOTS + ": " + candidates[0]
                + " ET_DYN files with PT_DYNAMIC (not symlinks), " + all.size() + " distinct contents " + byMachine + " (" + withInterp
                + " with PT_INTERP: PIE executables, libc, ld.so); isolated "
                + isolated + " (loaded and resolved: " + loaded + " x86_64, " + loadedArm + " aarch64 under qemu); refused "
                + (all.size() - isolated) + "; " + noOffset.size() + " refusals without a byte offset; " + seconds + " s");
        refusedBy.forEach((k, v) -> summary.append("\n  refused ").append(v).append(" x ").append(k).append(" (e.g. ")
                .append(example.get(k)).append(')'));
        noOffset.stream().limit(5).forEach(m -> summary.append("\n  no byte offset: ").append(m));
        System.out.println(summary);
        assertEquals(List.of(), problems, problems.size() + " of " + all.size() + " objects\n" + summary);
        assertTrue(all.size() >= 100, "objects found\n" + summary);
        assertTrue(loaded >= 50 && loaded * 3 > isolated, loaded + " of " + isolated + " outputs checked by dlcheck\n" + summary);
        // The two kinds of valid libraries once refused: a library that exports nothing (GNU ld's empty .gnu.hash).
        Path syslookup = Path.of(System.getProperty("java.home"), "lib", "libsyslookup.so");
        if (Files.isRegularFile(syslookup) && syslookup.startsWith("/usr/lib")) {
            assertTrue(isolatedNames.contains("libsyslookup.so"), "the JDK's libsyslookup.so (exports nothing) is isolated\n" + summary);
        }
    }

    /**
     * A DT_NEEDED of {@code $ORIGIN/../lib/x.so} (a bundled Python's libpython3.so) is looked up relative to the
     * output: a symbolic link there to the input's, so the output finds what the input finds.
     */
    static void originLinks(Path input, Path outDir) throws IOException {
        for (String n : dev.isolate.engine.elf.ElfFile.read(input).needed) {
            if (n.startsWith("$ORIGIN/")) {
                Path link = outDir.resolve(n.substring(8)).normalize();
                Path target = input.getParent().resolve(n.substring(8)).normalize();
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.exists(target)) {
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, target);
                }
            }
        }
    }

    /** The refusal without the file name, numbers and quoted names: its first words say why. */
    static String reason(Path file, String message) {
        String m = message.startsWith(file + ": ") ? message.substring(file.toString().length() + 2) : message;
        m = m.replaceAll("'[^']*'", "'…'").replaceAll("0x\\p{XDigit}+|\\d+", "#").replaceAll("\\[#\\]", "[]");
        String[] w = m.split(" ");
        return String.join(" ", java.util.Arrays.asList(w).subList(0, Math.min(w.length, 9)));
    }

    private static String machineName(Found f) {
        String m = switch (f.machine()) {
            case EM_X86_64 -> "x86_64";
            case EM_AARCH64 -> "aarch64";
            case 3 -> "i386";
            default -> "e_machine " + f.machine();
        };
        return (f.elf64() ? "" : "ELF32 ") + m;
    }

    /** Regular files (not symlinks) under the roots whose header says ET_DYN with a PT_DYNAMIC, sorted by path. */
    static List<Found> find(int[] count) throws IOException {
        Map<Path, Found> found = new TreeMap<>();
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes a) throws IOException {
                    if (a.isRegularFile() && a.size() >= 64 && !found.containsKey(p)) {
                        Found f = header(p);
                        if (f != null) {
                            found.put(p, f);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path p, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable: not ours to judge
                }
            });
        }
        count[0] = found.size();
        return new ArrayList<>(found.values());
    }

    /** One object per content (hard links and copies, such as the JDK's duplicated libjsig.so, count once). */
    static List<Found> unique(List<Found> found) throws IOException {
        Map<Long, List<Found>> bySize = new HashMap<>();
        for (Found f : found) {
            bySize.computeIfAbsent(Files.size(f.path()), k -> new ArrayList<>()).add(f);
        }
        Set<String> seen = new java.util.HashSet<>();
        List<Found> out = new ArrayList<>();
        for (Found f : found) {
            if (bySize.get(Files.size(f.path())).size() == 1 || seen.add(sha256(f.path()))) {
                out.add(f);
            }
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ET_DYN with a PT_DYNAMIC, read independently of the engine (ELF32 or ELF64, either byte order); else null. */
    static Found header(Path p) {
        try (FileChannel ch = FileChannel.open(p)) {
            ByteBuffer h = ByteBuffer.allocate(64);
            ch.read(h, 0);
            if (h.position() < 52 || h.get(0) != 0x7f || h.get(1) != 'E' || h.get(2) != 'L' || h.get(3) != 'F') {
                return null;
            }
            boolean elf64 = h.get(4) == 2;
            h.order(h.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            if ((h.getShort(16) & 0xffff) != 3) { // ET_DYN
                return null;
            }
            int machine = h.getShort(18) & 0xffff;
            long phoff = elf64 ? h.getLong(32) : h.getInt(28) & 0xffffffffL;
            int phentsize = h.getShort(elf64 ? 54 : 42) & 0xffff;
            int phnum = h.getShort(elf64 ? 56 : 44) & 0xffff;
            if (phentsize < 8 || phnum == 0 || phoff <= 0 || phoff + (long) phnum * phentsize > ch.size()) {
                return null;
            }
            ByteBuffer ph = ByteBuffer.allocate(phnum * phentsize).order(h.order());
            ch.read(ph, phoff);
            boolean dynamic = false;
            boolean interp = false;
            for (int i = 0; i < phnum; i++) {
                int type = ph.getInt(i * phentsize);
                dynamic |= type == 2; // PT_DYNAMIC
                interp |= type == 3; // PT_INTERP
            }
            return dynamic ? new Found(p, elf64, machine, interp) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
