package dev.isolate.engine.cli;

import dev.isolate.engine.BundleRequest;
import dev.isolate.engine.IsolateException;
import dev.isolate.engine.Isolator;
import dev.isolate.engine.Report;
import dev.isolate.engine.common.Plural;
import dev.isolate.engine.common.Trace;
import dev.isolate.engine.consumer.Library;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.Links;
import dev.isolate.engine.policy.NameRules;
import dev.isolate.engine.policy.Naming;
import dev.isolate.engine.policy.WarningCategory;
import dev.isolate.engine.report.JsonReport;
import dev.isolate.engine.report.TextReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code isolate inspect|rename ...} ({@code isolate isolate}, the first spelling of {@code rename}, still works). Exit 0 on success, 1 on bad input or a failed policy (one line on
 * stderr), 2 on a usage error.
 */
public final class Main {
    static final String USAGE = """
            usage: isolate inspect INPUT... [--prefix P] [--soname S] [--name N] [--exclude GLOB]... [--json]
                   isolate rename INPUT... -o DIR --prefix P [--soname S] [--name N] [--runpath R | --no-runpath]
                                  [--exclude GLOB]... [--werror] [--allow-CATEGORY]...
                   isolate merge TARGET.so MEMBER.so... -o DIR [--keep NAME]... [--keep-all-exports]
                   isolate inspect --merge TARGET.so MEMBER.so... [--keep NAME]... [--keep-all-exports] [--json]
            Renames the exported dynamic symbols and the SONAME of ELF64 shared libraries under a prefix,
            so a bundled copy never clashes with another copy of the library in the same process, and
            writes what native consumers link with: a stub archive, a linker script, a header, a manifest.
            A JNI library (exporting Java_* or JNI_OnLoad*) keeps its SONAME and file name and gets none of
            these unless --name asks. Several INPUTs are isolated together as one bundle: references between
            them follow the renames.
            Warning categories: object-symbol, tls-symbol, ifunc-symbol, versioned-symbol, weak-override,
            libc-definition, unbundled-dependency.
            'isolate COMMAND --help' describes one command. 'isolate isolate' is the old spelling of 'rename'.""";

    static final String INSPECT_HELP = """
            usage: isolate inspect INPUT... [--prefix P] [--soname S] [--name N] [--exclude GLOB]... [--json]
            Dry run of 'rename': prints what it would rename, keep (and why), stub, relink and warn about. Writes nothing.
              --prefix P      prefix for the new names (default: isolated_)
              --soname S      the new SONAME (default: the prefix after 'lib' in the old one, or in the
                              file name when there is none or it is not a plain library file name; a
                              JNI library keeps its own); with several INPUTs, OLD=NEW (OLD a member's
                              SONAME or file name), repeatable
              --name N        link name of the consumer artifacts (default: libzstd.so.1 -> zstd; a JNI
                              library gets them only with --name); with several INPUTs, OLD=N, repeatable
              --exclude GLOB  keep exports matching GLOB (* and ?); repeatable
              --json          print the report as JSON""";

    static final String ISOLATE_HELP = """
            usage: isolate rename INPUT... -o DIR --prefix P [--soname S] [--name N] [--runpath R | --no-runpath]
                                  [--exclude GLOB]... [--werror] [--allow-CATEGORY]...
            (also spelled 'isolate isolate')
            Writes DIR/<new SONAME>: the library with its exports and SONAME renamed under the prefix, and
            for native consumers (-L DIR -lN): libN_stubs.a (a hidden stub per function, calling the
            prefixed name), libN.so (a linker script: the stubs, then the library), <P>isolate_N.h
            (#define name <P>name) and <P>isolate_N.json (the manifest, shaped like inspect --json).
            A JNI library (exporting Java_* or JNI_OnLoad*) keeps its SONAME and file name, and gets no consumer
            artifacts unless --name asks for them: the JVM loads it by file name and nothing links against it.
            Without a plain library file name as SONAME (none, a path, a placeholder such as @VERSION@), names
            derive from the file name. Several INPUTs form one bundle (a JNI library and the libraries it was
            linked against): undefined references to another member's exports and DT_NEEDED names follow the
            renames, and all outputs are written or none. A DT_NEEDED that is neither an INPUT nor a system
            library gets an unbundled-dependency warning.
              -o, --output DIR  output directory (created if missing)
              --prefix P        prefix for the new names, a C identifier prefix such as acme_
              --soname S        the new SONAME (default: libzstd.so.1 -> lib<P>zstd.so.1); with several
                                INPUTs, OLD=NEW (OLD a member's SONAME or file name), repeatable
              --name N          link name N of the artifacts (default: from the SONAME, libzstd.so.1 -> zstd);
                                for a JNI library, writes them (by default it gets none); with several
                                INPUTs, OLD=N, repeatable
              --runpath R       DT_RUNPATH of every member of a bundle (default: $ORIGIN, so members in
                                one directory find each other; a single INPUT's is left as it is)
              --no-runpath      leave DT_RUNPATH/DT_RPATH as they are
              --exclude GLOB    keep exports matching GLOB (* and ?); repeatable
              --werror          make warnings fatal
              --allow-CATEGORY  with --werror, permit one category: object-symbol, tls-symbol,
                                ifunc-symbol, versioned-symbol, weak-override, libc-definition,
                                unbundled-dependency""";

    private Main() {}

    public static void main(String[] args) {
        Trace.mark("main");
        int status = run(args, System.out, System.err);
        Trace.mark("exit");
        System.exit(status);
    }

    static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String m) {
            super(m);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String cmd = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        try {
            switch (cmd) {
                case "inspect":
                    return inspect(rest, out);
                case "rename", "isolate": // isolate: the first spelling
                    return isolate(cmd, rest, out, err);
                case "merge":
                    return MergeCommand.run(rest, out);
                default:
                    throw new Usage("unknown command '" + cmd + "'");
            }
        } catch (Usage u) {
            err.println("isolate: " + u.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ElfFormatException | IsolateException e) {
            err.println("isolate: " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("isolate: " + e.getFile() + ": no such file" + (e.getReason() != null ? " (" + e.getReason() + ")" : ""));
            return 1;
        } catch (IOException e) {
            err.println("isolate: " + e);
            return 1;
        }
    }

    /** Parsed options common to both commands. */
    private static final class Options {
        final List<String> inputs = new ArrayList<>();
        String output;
        String prefix;
        final List<String> sonames = new ArrayList<>();
        String runpath;
        boolean noRunpath;
        final List<String> names = new ArrayList<>();
        boolean json;
        boolean werror;
        boolean help;
        final List<String> excludes = new ArrayList<>();
        final Set<WarningCategory> allowed = EnumSet.noneOf(WarningCategory.class);
    }

    private static Options parse(List<String> args, boolean isolate) throws Usage {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> o.help = true;
                case "--prefix" -> o.prefix = value(args, ++i, a);
                case "--soname" -> o.sonames.add(value(args, ++i, a));
                case "--runpath" -> {
                    requireIsolate(isolate, a);
                    o.runpath = value(args, ++i, a);
                }
                case "--no-runpath" -> {
                    requireIsolate(isolate, a);
                    o.noRunpath = true;
                }
                case "--name" -> o.names.add(value(args, ++i, a));
                case "--exclude" -> o.excludes.add(value(args, ++i, a));
                case "--json" -> {
                    if (isolate) {
                        throw new Usage("--json is an option of 'inspect'");
                    }
                    o.json = true;
                }
                case "-o", "--output" -> {
                    if (!isolate) {
                        throw new Usage("inspect writes nothing: -o is an option of 'rename'");
                    }
                    o.output = value(args, ++i, a);
                }
                case "--werror" -> o.werror = true;
                default -> {
                    if (a.startsWith("--allow-") && WarningCategory.byId(a.substring(8)) != null) {
                        o.allowed.add(WarningCategory.byId(a.substring(8)));
                    } else if (a.startsWith("-") && !a.equals("-")) {
                        throw new Usage("unknown option '" + a + "'");
                    } else {
                        o.inputs.add(a);
                    }
                }
            }
        }
        if (o.runpath != null && o.noRunpath) {
            throw new Usage("--runpath and --no-runpath exclude each other");
        }
        return o;
    }

    private static void requireIsolate(boolean isolate, String opt) throws Usage {
        if (!isolate) {
            throw new Usage(opt + " is an option of 'rename'");
        }
    }

    /** {@code --opt V} for one INPUT; {@code --opt OLD=V} per member of a bundle (OLD: its SONAME or file name). */
    private static Map<String, String> perMember(Options o, List<String> values, String opt) throws Usage {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : values) {
            int eq = s.indexOf('=');
            String key;
            String v;
            if (eq > 0) {
                key = s.substring(0, eq);
                v = s.substring(eq + 1);
            } else if (o.inputs.size() == 1) {
                key = Path.of(o.inputs.get(0)).getFileName().toString();
                v = s;
            } else {
                throw new Usage("with several INPUTs, " + opt + " takes OLD=VALUE, got '" + s + "'");
            }
            if (opt.equals("--name") && !NameRules.isLinkName(v)) {
                throw new Usage("--name '" + v + "' " + NameRules.LINK_NAME_RULE);
            }
            m.put(key, v);
        }
        return m;
    }

    private static List<Path> inputs(Options o) {
        return o.inputs.stream().map(Path::of).toList();
    }

    private static String value(List<String> args, int i, String opt) throws Usage {
        if (i >= args.size()) {
            throw new Usage(opt + " needs a value");
        }
        return args.get(i);
    }

    private static int inspect(List<String> args, PrintStream out) throws Usage, IOException {
        if (args.contains("--merge")) { // the dry run of merge: its own arguments
            return MergeCommand.inspect(args.stream().filter(a -> !a.equals("--merge")).toList(), out);
        }
        Options o = parse(args, false);
        if (o.help) {
            out.println(INSPECT_HELP);
            return 0;
        }
        if (o.inputs.isEmpty()) {
            throw new Usage("inspect needs an INPUT library");
        }
        String prefix = o.prefix == null ? "isolated_" : o.prefix;
        BundleRequest req = new BundleRequest(inputs(o), Path.of("."), prefix, perMember(o, o.sonames, "--soname"), o.excludes,
                false, Set.of(), o.inputs.size() > 1 ? BundleRequest.ORIGIN : null, perMember(o, o.names, "--name"));
        List<Library> libraries = Isolator.inspect(req).libraries();
        if (o.json) {
            out.print(JsonReport.of(libraries));
        } else {
            libraries.forEach(l -> out.print(TextReport.of(l)));
        }
        return 0;
    }

    private static int isolate(String cmd, List<String> args, PrintStream out, PrintStream err) throws Usage, IOException {
        Options o = parse(args, true);
        if (o.help) {
            out.println(ISOLATE_HELP);
            return 0;
        }
        if (o.inputs.isEmpty() || o.output == null || o.prefix == null) {
            throw new Usage(cmd + " needs INPUT, -o DIR and --prefix P");
        }
        String runpath = o.noRunpath ? null : o.runpath != null ? o.runpath : o.inputs.size() > 1 ? BundleRequest.ORIGIN : null;
        BundleRequest req = new BundleRequest(inputs(o), Path.of(o.output), o.prefix, perMember(o, o.sonames, "--soname"),
                o.excludes, o.werror, o.allowed, runpath, perMember(o, o.names, "--name"));
        List<Report> reports = Isolator.isolate(req).members();
        long[] t = Trace.start();
        for (Report r : reports) {
            int warnings = r.classification().warningCount() + r.links().unbundled().size();
            // Concatenated, not printf: the first Formatter of a run costs milliseconds (locale data for %d).
            out.println(r.input() + " -> " + r.output() + " (" + sonameSummary(r) + "): "
                    + r.classification().renamed().size() + " renamed, " + r.classification().kept().size() + " kept, "
                    + Plural.of(warnings, "warning") + linkSummary(r.links()));
            if (r.name() != null) {
                ArtifactNames n = r.library().artifacts();
                out.println("  for -L" + r.output().getParent() + " -l" + n.name() + ": " + n.stubArchive() + " ("
                        + Plural.of(r.library().stubs().size(), "stub") + "), " + n.linkerScript() + ", " + n.header() + ", "
                        + n.manifest());
            }
            for (String u : r.links().unbundled()) {
                err.println("isolate: warning: " + Links.warning(r.input(), u));
            }
        }
        Trace.end("report", t);
        return 0;
    }

    /** {@code SONAME libacme_z.so.1}, {@code SONAME libzglue.so kept}, {@code no SONAME}. */
    private static String sonameSummary(Report r) {
        if (r.newSoname() == null) {
            return "no SONAME";
        }
        return "SONAME " + r.newSoname() + (r.naming().source() == Naming.Source.KEPT ? " kept" : "");
    }

    private static String linkSummary(Links l) {
        if (l.imports().isEmpty() && l.needed().isEmpty()) {
            return "";
        }
        return ", " + Plural.of(l.imports().size(), "import") + " and " + l.needed().size() + " DT_NEEDED follow the bundle";
    }
}
