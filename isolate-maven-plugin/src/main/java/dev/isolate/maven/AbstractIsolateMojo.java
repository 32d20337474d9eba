package dev.isolate.maven;

import dev.isolate.engine.BundleRequest;
import dev.isolate.engine.IsolateException;
import dev.isolate.engine.common.Plural;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.policy.Setting;
import dev.isolate.engine.policy.WarningCategory;
import dev.isolate.maven.core.ArchiveEntries;
import dev.isolate.maven.core.IsolateBuildException;
import dev.isolate.maven.core.MissingDependency;
import dev.isolate.maven.core.NativeBuild;
import dev.isolate.maven.core.NativeIndex;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * The parameters both goals share, and turning them into the engine's inputs and options. All the ELF work
 * is in {@code isolate-engine}; the placing and packaging in {@link NativeBuild}, which has no Maven types.
 */
abstract class AbstractIsolateMojo extends AbstractMojo {
    /** What a file set takes with no {@code <includes>}: shared libraries by name, at any depth. */
    private static final List<String> DEFAULT_INCLUDES = List.of("**/*.so", "**/*.so.*", "*.so", "*.so.*");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    RepositorySystemSession repositorySession;

    @Inject
    RepositorySystem repositorySystem;

    // help:describe reads these descriptions as HTML: a placeholder in angle brackets (even inside {@code}) would
    // vanish from the console, so they are written {platform}, outside {@code} (whose parser stops at the first }).

    /**
     * Prefix of every renamed symbol and SONAME, a C identifier prefix such as {@code acme_}. Required with
     * {@code mode} rename.
     */
    @Parameter(property = "isolate.prefix")
    String prefix;

    /**
     * How the bundle is kept apart from other copies of its libraries: {@code rename} (default) renames exported
     * symbols and SONAMEs, and the loader uses System.load; {@code segregate} packages the libraries unmodified, and
     * the loader loads them into a link-map namespace of their own (dlmopen; JDK 22 or later, glibc: docs/loader.md);
     * {@code merge} merges each platform's JNI library and the libraries it bundles into one file that exports only
     * its JNI entry points, loaded with System.load (docs/merge.md). The settings of renaming (prefix, symbolExcludes,
     * sonames, linkNames, werror, allow, runpath) are refused with segregate and merge, which rename nothing; those of
     * merging (keep, keepAllExports) with the other two.
     */
    @Parameter(property = "isolate.mode", defaultValue = "rename")
    String mode;

    /** Skip this goal. */
    @Parameter(property = "isolate.skip", defaultValue = "false")
    boolean skip;

    /** Make every warning fatal, except the categories in {@code allow}. */
    @Parameter(property = "isolate.werror", defaultValue = "false")
    boolean werror;

    /**
     * Warning categories permitted under {@code werror}: object-symbol, tls-symbol, ifunc-symbol,
     * versioned-symbol, weak-override, libc-definition, unbundled-dependency.
     */
    @Parameter(property = "isolate.allow")
    List<String> allow = new ArrayList<>();

    /** Globs ({@code *}, {@code ?}) of exported symbol names to keep unrenamed. */
    @Parameter(property = "isolate.symbolExcludes")
    List<String> symbolExcludes = new ArrayList<>();

    /**
     * New SONAMEs chosen by hand, instead of the prefix after {@code lib}: one {@code soname} element each, whose
     * {@code from} is a member's SONAME or file name and {@code to} the new SONAME (a plain file name).
     */
    @Parameter
    List<SonameOverride> sonames = new ArrayList<>();

    /**
     * Link names chosen by hand for the artifacts for native consumers ({@code -lN}), instead of the one derived from
     * the SONAME ({@code libzstd.so.1} gives {@code zstd}): one {@code linkName} element each, whose {@code from} is a
     * member's SONAME or file name and {@code to} the link name. The CLI's {@code --name}.
     */
    @Parameter
    List<LinkName> linkNames = new ArrayList<>();

    /**
     * DT_RUNPATH written into every member: {@code $ORIGIN} (default) lets members extracted into one directory
     * find each other; {@code none} leaves DT_RUNPATH/DT_RPATH as they are.
     */
    @Parameter(property = "isolate.runpath", defaultValue = DEFAULT_RUNPATH)
    String runpath;

    static final String DEFAULT_RUNPATH = "$ORIGIN";

    /**
     * With {@code mode} merge: further names the merged file exports (each defined by one of its libraries), besides
     * the JNI entry points of the JNI library, such as a C API other native code calls. The CLI's {@code --keep}.
     */
    @Parameter
    List<String> keep = new ArrayList<>();

    /**
     * With {@code mode} merge: the merged file exports every export of every library merged into it, for a bundle that
     * is not a JNI library and its dependencies. The CLI's {@code --keep-all-exports}.
     */
    @Parameter(property = "isolate.keepAllExports", defaultValue = "false")
    boolean keepAllExports;

    /** Libraries in the build (for example what a native build step wrote under {@code target/}). */
    @Parameter
    List<FileSet> fileSets = new ArrayList<>();

    /** Libraries from project dependencies: a {@code .so} dependency, or the libraries of a jar/zip (judged by their bytes). */
    @Parameter
    List<DependencyLibraries> dependencyLibraries = new ArrayList<>();

    /** Libraries from artifacts outside the dependency graph, resolved by coordinates. */
    @Parameter
    List<ArtifactLibraries> artifacts = new ArrayList<>();

    /** Where the isolated libraries go, one folder per platform; packaged into the main jar by default. */
    @Parameter(property = "isolate.outputDirectory", defaultValue = "${project.build.outputDirectory}/native")
    File outputDirectory;

    /** The plugin's own directory: staged inputs, the artifacts for native consumers, reports, the fingerprint. */
    @Parameter(defaultValue = "${project.build.directory}/isolate")
    File workDirectory;

    /** Checks every parameter, reporting all problems at once, each naming the POM element to fix. */
    NativeBuild.Options options() throws MojoFailureException {
        List<String> problems = new ArrayList<>();
        String m = mode == null ? NativeIndex.RENAME : mode.trim();
        boolean renamesNothing = !m.equals(NativeIndex.RENAME) && NativeIndex.MODES.contains(m); // renames nothing: segregate, merge
        if (!NativeIndex.MODES.contains(m)) {
            problems.add("<mode> '" + mode + "' is not a mode; use one of " + NativeIndex.MODES);
        } else if (renamesNothing) {
            // The renaming's settings, and its policy's and relinking's: none reaches a mode that renames nothing, so
            // setting one is a mistake to say, not to ignore (the runpath: only a value other than the default shows).
            for (var unused : List.of(Map.entry("<prefix>", prefix != null && !prefix.isEmpty()), Map.entry("<symbolExcludes>",
                    !symbolExcludes.isEmpty()), Map.entry("<sonames>", !sonames.isEmpty()), Map.entry("<linkNames>", !linkNames.isEmpty()),
                    Map.entry("<werror>", werror), Map.entry("<allow>", !allow.isEmpty()),
                    Map.entry("<runpath>", runpath != null && !runpath.equals(DEFAULT_RUNPATH)))) {
                if (unused.getValue()) {
                    problems.add(unused.getKey() + " has no effect with <mode>" + m + "</mode>, which renames nothing: remove it");
                }
            }
        }
        // The merge's own settings: refused elsewhere for the same reason.
        if (!m.equals(NativeIndex.MERGE) && NativeIndex.MODES.contains(m)) {
            for (var unused : List.of(Map.entry("<keep>", !keep.isEmpty()), Map.entry("<keepAllExports>", keepAllExports))) {
                if (unused.getValue()) {
                    problems.add(unused.getKey() + " has no effect with <mode>" + m + "</mode>, only with <mode>merge</mode>: remove it");
                }
            }
        }
        for (String k : keep) {
            if (k == null || k.isBlank()) {
                problems.add("<keep> has an empty element: each names a symbol the merged file exports");
            }
        }
        Set<WarningCategory> allowed = EnumSet.noneOf(WarningCategory.class);
        List<String> allowProblems = new ArrayList<>();
        for (String a : allow) {
            WarningCategory c = WarningCategory.byId(a.trim());
            if (c == null) {
                allowProblems.add("<allow> '" + a + "' is not a warning category; use one of " + Stream.of(WarningCategory.values())
                        .map(WarningCategory::id).toList());
            } else {
                allowed.add(c);
            }
        }
        Map<String, String> so = new LinkedHashMap<>();
        List<String> sonameProblems = new ArrayList<>();
        for (SonameOverride s : sonames) {
            if (s.from == null || s.from.isEmpty() || s.to == null || s.to.isEmpty()) {
                sonameProblems.add("<sonames><soname> needs both <from> (a member's SONAME or file name) and <to>");
            } else if (so.put(s.from, s.to) != null) {
                sonameProblems.add("<sonames> names " + s.from + " twice");
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        List<String> nameProblems = new ArrayList<>();
        for (LinkName n : linkNames) {
            if (n.from == null || n.from.isEmpty() || n.to == null || n.to.isEmpty()) {
                nameProblems.add("<linkNames><linkName> needs both <from> (a member's SONAME or file name) and <to>");
            } else if (names.put(n.from, n.to) != null) {
                nameProblems.add("<linkNames> names " + n.from + " twice");
            }
        }
        // The engine's rules for the values, in the order of the POM's elements (segregate and merge rename nothing: no prefix).
        boolean noPrefix = prefix == null || prefix.isEmpty();
        if (noPrefix && !renamesNothing) {
            problems.add("<prefix> is required (or -Disolate.prefix=...): a C identifier prefix such as acme_");
        }
        for (BundleRequest.Problem p : BundleRequest.problems(prefix, so, names)) {
            String value = "'" + p.value() + "' " + p.rule();
            switch (p.setting()) {
                case PREFIX -> {
                    if (!noPrefix && !renamesNothing) {
                        problems.add("<prefix> " + value);
                    }
                }
                case SONAME -> sonameProblems.add("<sonames><soname><to> " + value);
                default -> nameProblems.add("<linkNames><linkName><to> " + value + ", e.g. acmez for -lacmez");
            }
        }
        problems.addAll(allowProblems);
        problems.addAll(sonameProblems);
        problems.addAll(nameProblems);
        for (int i = 0; i < fileSets.size(); i++) {
            if (fileSets.get(i).directory == null) {
                problems.add("<fileSets><fileSet> #" + (i + 1) + " needs a <directory>");
            }
        }
        for (DependencyLibraries d : dependencyLibraries) {
            if (d.groupId == null || d.artifactId == null) {
                problems.add("<dependencyLibraries><dependency> needs <groupId> and <artifactId>");
            }
        }
        for (ArtifactLibraries a : artifacts) {
            if (a.coordinates == null || a.coordinates.split(":").length < 3 || a.coordinates.split(":").length > 5) {
                problems.add("<artifacts><artifact><coordinates> '" + a.coordinates
                        + "' must be groupId:artifactId[:extension[:classifier]]:version");
            }
        }
        if (fileSets.isEmpty() && dependencyLibraries.isEmpty() && artifacts.isEmpty()) {
            problems.add("no inputs: configure <fileSets>, <dependencyLibraries> or <artifacts>");
        }
        if (!problems.isEmpty()) {
            throw new MojoFailureException("isolate: " + problems.size() + " configuration problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        String rp = runpath == null || runpath.equals("none") ? null : runpath;
        return new NativeBuild.Options(prefix, List.copyOf(symbolExcludes), werror, allowed, so, names, rp,
                outputDirectory.toPath(), workDirectory.toPath(), plugin.getVersion(), m, Set.copyOf(keep.stream().map(String::trim).toList()),
                keepAllExports);
    }

    /** Every input library, in configuration order: file sets, then dependencies, then artifacts. */
    List<Path> inputs() throws MojoExecutionException, MojoFailureException {
        List<Path> out = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        List<ArchiveEntries.Selection> selections = new ArrayList<>();
        try {
            for (FileSet fs : fileSets) {
                List<String> inc = fs.includes.isEmpty() ? DEFAULT_INCLUDES : fs.includes;
                searched.add(fs.directory + " for " + inc + (fs.excludes.isEmpty() ? "" : " excluding " + fs.excludes));
                // A file set over the build directory also finds what earlier runs placed and staged: isolating those
                // again would prefix the prefixed names. They are never inputs.
                Map<Boolean, List<Path>> own = scan(fs.directory.toPath(), inc, fs.excludes).stream()
                        .collect(Collectors.partitioningBy(this::isOwnOutput));
                if (!own.get(true).isEmpty()) {
                    getLog().info("isolate: <fileSets><fileSet> " + fs.directory + ": " + Plural.of(own.get(true).size(), "file",
                            "files") + " under this plugin's own <outputDirectory> or work directory left out");
                }
                out.addAll(own.get(false));
            }
            for (DependencyLibraries d : dependencyLibraries) {
                List<Artifact> found = project.getArtifacts().stream().filter(a -> a.getGroupId().equals(d.groupId)
                        && a.getArtifactId().equals(d.artifactId) && (d.classifier == null || d.classifier.equals(a.getClassifier())))
                        .sorted((x, y) -> x.getId().compareTo(y.getId())).toList();
                if (found.isEmpty()) {
                    throw new MojoFailureException("isolate: <dependencyLibraries>: " + notFound(d));
                }
                for (Artifact a : found) {
                    out.addAll(libraries(a.getFile().toPath(), d.includes, a.getGroupId() + "-" + a.getArtifactId()
                            + (a.getClassifier() == null ? "" : "-" + a.getClassifier()), selections));
                }
            }
            for (ArtifactLibraries al : artifacts) {
                org.eclipse.aether.artifact.Artifact a = resolve(al.coordinates);
                out.addAll(libraries(a.getFile().toPath(), al.includes, a.getGroupId() + "-" + a.getArtifactId()
                        + (a.getClassifier().isEmpty() ? "" : "-" + a.getClassifier()), selections));
            }
            report(selections);
        } catch (IsolateBuildException | ElfFormatException e) {
            throw new MojoFailureException("isolate: " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("isolate: reading the inputs failed: " + e, e);
        }
        if (out.isEmpty()) { // only file sets can come back empty: an archive without a library is an error of its own
            throw new MojoFailureException("isolate: no input libraries found: <fileSets> searched " + String.join("; ", searched));
        }
        return out;
    }

    /** Whether {@code p} is under {@link #outputDirectory} or {@link #workDirectory}: what this plugin writes. */
    private boolean isOwnOutput(Path p) {
        Path q = p.toAbsolutePath().normalize();
        return q.startsWith(outputDirectory.toPath().toAbsolutePath().normalize())
                || q.startsWith(workDirectory.toPath().toAbsolutePath().normalize());
    }

    /** {@link MissingDependency}'s message for an entry no resolved artifact matched. */
    private String notFound(DependencyLibraries d) {
        List<String> classifiers = project.getArtifacts().stream()
                .filter(a -> a.getGroupId().equals(d.groupId) && a.getArtifactId().equals(d.artifactId))
                .map(a -> a.getClassifier() == null ? "" : a.getClassifier()).toList();
        String scope = project.getDependencies().stream()
                .filter(x -> x.getGroupId().equals(d.groupId) && x.getArtifactId().equals(d.artifactId))
                .map(x -> x.getScope() == null ? "compile" : x.getScope()).findFirst().orElse(null);
        return MissingDependency.message(d.groupId, d.artifactId, d.classifier, classifiers, scope);
    }

    /** One INFO line per archive, a DEBUG line per entry taken or skipped, and all of it in {@code inputs/selection.txt}. */
    private void report(List<ArchiveEntries.Selection> selections) throws IOException {
        if (selections.isEmpty()) {
            return;
        }
        StringBuilder txt = new StringBuilder("# isolate: the libraries taken from each archive, and the native files skipped\n");
        for (ArchiveEntries.Selection s : selections) {
            getLog().info("isolate: " + s.archive().getFileName() + ": " + s.summary());
            s.warnings().forEach(w -> getLog().warn("isolate: " + w));
            txt.append(s.archive()).append(s.includes().isEmpty() ? "" : " " + s.includes()).append('\n');
            for (String line : s.report()) {
                getLog().debug("isolate:   " + line);
                txt.append("  ").append(line).append('\n');
            }
        }
        Path file = workDirectory.toPath().resolve("inputs").resolve(ArchiveEntries.REPORT);
        Path tmp = file.resolveSibling(ArchiveEntries.REPORT + ".part");
        Files.writeString(tmp, txt, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<Path> scan(Path dir, List<String> includes, List<String> excludes) throws IOException, MojoFailureException {
        if (!Files.isDirectory(dir)) {
            throw new MojoFailureException("isolate: <fileSets><fileSet><directory> " + dir + " does not exist");
        }
        List<PathMatcher> inc = matchers(includes);
        List<PathMatcher> exc = matchers(excludes);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                Path rel = dir.relativize(p);
                return inc.stream().anyMatch(m -> m.matches(rel)) && exc.stream().noneMatch(m -> m.matches(rel));
            }).sorted().toList();
        }
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        return globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    }

    /**
     * A bare library as it is; the libraries of an archive (chosen by {@link ArchiveEntries}) copied out under
     * the work directory.
     */
    private List<Path> libraries(Path file, List<String> includes, String stagingName, List<ArchiveEntries.Selection> selections)
            throws IOException {
        String n = file.getFileName().toString();
        if (n.endsWith(".so") || n.matches(".*\\.so\\.[0-9.]+")) {
            return List.of(file);
        }
        ArchiveEntries.Selection s = ArchiveEntries.select(file, includes, workDirectory.toPath().resolve("inputs").resolve(stagingName));
        selections.add(s);
        return s.files();
    }

    private org.eclipse.aether.artifact.Artifact resolve(String coordinates) throws MojoFailureException {
        try {
            ArtifactRequest req = new ArtifactRequest(new DefaultArtifact(coordinates), project.getRemoteProjectRepositories(), null);
            return repositorySystem.resolveArtifact(repositorySession, req).getArtifact();
        } catch (ArtifactResolutionException | IllegalArgumentException e) {
            throw new MojoFailureException("isolate: <artifacts><artifact><coordinates> " + coordinates + " cannot be resolved: "
                    + e.getMessage());
        }
    }

    /** Runs {@code work}, mapping the engine's errors to one clear build failure line. */
    <T> T engine(EngineWork<T> work) throws MojoExecutionException, MojoFailureException {
        try {
            return work.run();
        } catch (IsolateException e) {
            throw new MojoFailureException("isolate: " + e.message(AbstractIsolateMojo::pomElement));
        } catch (ElfFormatException | IsolateBuildException e) {
            throw new MojoFailureException("isolate: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new MojoFailureException("isolate: " + e.getFile() + ": no such file");
        } catch (IOException e) {
            throw new MojoExecutionException("isolate: " + e, e);
        }
    }

    /** The POM element a Maven user changes for each setting the engine names in a failure. */
    static String pomElement(Setting setting, String argument) {
        return switch (setting) {
            case PREFIX -> "<prefix>";
            case SONAME -> "<sonames>";
            case LINK_NAME -> "<linkNames>";
            case EXCLUDE -> "<symbolExcludes>";
            case WERROR -> "<werror>";
            case ALLOW -> "<allow>" + argument + "</allow>";
            case KEEP -> "<keep>";
        };
    }

    interface EngineWork<T> {
        T run() throws IOException;
    }
}
