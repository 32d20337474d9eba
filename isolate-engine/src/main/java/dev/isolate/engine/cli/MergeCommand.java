package dev.isolate.engine.cli;

import dev.isolate.engine.merge.MergeReport;
import dev.isolate.engine.merge.MergeRequest;
import dev.isolate.engine.merge.Merger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code isolate merge TARGET.so MEMBER.so... -o DIR [--keep NAME]... [--keep-all-exports]}: a thin front over {@link Merger}. */
final class MergeCommand {
    static final String HELP = """
            usage: isolate merge TARGET.so MEMBER.so... -o DIR [--keep NAME]... [--keep-all-exports]
            Merges a JNI library (TARGET) and the shared libraries it bundles (MEMBERs) into one file,
            DIR/<TARGET's file name>, with TARGET's SONAME. Every reference between them is bound at merge
            time; the merged file exports only TARGET's Java_*, JNI_OnLoad* and JNI_OnUnload*, and imports
            only what stays outside (libc, ...). x86_64 and aarch64. See docs/merge.md.
              -o, --output DIR    output directory (created if missing)
              --keep NAME         export NAME too (defined by any member); repeatable
              --keep-all-exports  export every member's exports (for merges that are not JNI)
            isolate inspect --merge TARGET.so MEMBER.so... [--keep NAME]... [--keep-all-exports] [--json]
            does everything but write: what the merged file would export, import and need.""";

    private MergeCommand() {}

    static int run(List<String> args, PrintStream out) throws Main.Usage, IOException {
        Parsed p = parse(args, "merge");
        if (p == null) {
            out.println(HELP);
            return 0;
        }
        if (p.output == null) {
            throw new Main.Usage("merge needs -o DIR");
        }
        out.println(Merger.merge(p.request(Path.of(p.output))).summary());
        return 0;
    }

    /** {@code isolate inspect --merge TARGET.so MEMBER.so... [--keep NAME]... [--keep-all-exports] [--json]}: writes nothing. */
    static int inspect(List<String> args, PrintStream out) throws Main.Usage, IOException {
        Parsed p = parse(args, "inspect --merge");
        if (p == null) {
            out.println(HELP);
            return 0;
        }
        MergeReport r = Merger.inspect(p.request(Path.of(p.output == null ? "." : p.output)));
        out.print(p.json ? r.json() + "\n" : r.text());
        return 0;
    }

    private record Parsed(List<Path> inputs, Set<String> keep, String output, boolean all, boolean json) {
        MergeRequest request(Path dir) {
            return new MergeRequest(inputs, dir, keep, all);
        }
    }

    /** The arguments of {@code merge} or {@code inspect --merge}; null when help is asked. */
    private static Parsed parse(List<String> args, String cmd) throws Main.Usage {
        List<Path> inputs = new ArrayList<>();
        Set<String> keep = new LinkedHashSet<>();
        String output = null;
        boolean all = false;
        boolean json = false;
        boolean inspect = !cmd.equals("merge");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "-o", "--output" -> output = value(args, ++i, a);
                case "--keep" -> keep.add(value(args, ++i, a));
                case "--keep-all-exports" -> all = true;
                case "--json" -> {
                    if (!inspect) {
                        throw new Main.Usage("unknown option '" + a + "' of 'merge' (--json is an option of 'inspect --merge')");
                    }
                    json = true;
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new Main.Usage("unknown option '" + a + "' of '" + cmd + "'");
                    }
                    inputs.add(Path.of(a));
                }
            }
        }
        if (inputs.size() < 2) {
            throw new Main.Usage(cmd + " needs TARGET.so and at least one MEMBER.so");
        }
        return new Parsed(inputs, keep, output, all, json);
    }

    private static String value(List<String> args, int i, String option) throws Main.Usage {
        if (i >= args.size()) {
            throw new Main.Usage(option + " needs a value");
        }
        return args.get(i);
    }
}
