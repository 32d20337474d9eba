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
              --keep-all-exports  export every member's exports (for merges that are not JNI)""";

    private MergeCommand() {}

    static int run(List<String> args, PrintStream out) throws Main.Usage, IOException {
        List<Path> inputs = new ArrayList<>();
        Set<String> keep = new LinkedHashSet<>();
        String output = null;
        boolean all = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> {
                    out.println(HELP);
                    return 0;
                }
                case "-o", "--output" -> output = value(args, ++i, a);
                case "--keep" -> keep.add(value(args, ++i, a));
                case "--keep-all-exports" -> all = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw new Main.Usage("unknown option '" + a + "' of 'merge'");
                    }
                    inputs.add(Path.of(a));
                }
            }
        }
        if (inputs.size() < 2) {
            throw new Main.Usage("merge needs TARGET.so and at least one MEMBER.so");
        }
        if (output == null) {
            throw new Main.Usage("merge needs -o DIR");
        }
        MergeReport r = Merger.merge(new MergeRequest(inputs, Path.of(output), keep, all));
        out.println(r.summary());
        return 0;
    }

    private static String value(List<String> args, int i, String option) throws Main.Usage {
        if (i >= args.size()) {
            throw new Main.Usage(option + " needs a value");
        }
        return args.get(i);
    }
}
