package dev.isolate.maven;

import dev.isolate.engine.common.Plural;
import dev.isolate.engine.machine.CLibrary;
import dev.isolate.engine.policy.Links;
import dev.isolate.maven.core.IsolateBuildException;
import dev.isolate.maven.core.NativeBuild;
import dev.isolate.maven.core.ReproducibleZip;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Isolates the execution's native libraries as one bundle per platform and places them under
 * native/{platform}/ in the classes directory (so the main jar carries them), with an index
 * giving the load order; optionally attaches one jar per platform and a zip of the artifacts for native
 * consumers (stubs, linker script, header, manifest).
 */
@Mojo(name = "isolate", defaultPhase = LifecyclePhase.PROCESS_RESOURCES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class IsolateMojo extends AbstractIsolateMojo {
    @Inject
    MavenProjectHelper projectHelper;

    /** Attach {finalName}-{platform}.jar (classifier {@code linux-x86_64}, ...) holding native/{platform}/. */
    @Parameter(property = "isolate.attachPlatformJars", defaultValue = "false")
    boolean attachPlatformJars;

    /**
     * Attach {finalName}-{platform}-native-dev.zip (classifier {platform}-native-dev): the libraries
     * and the artifacts for native consumers.
     */
    @Parameter(property = "isolate.attachNativeDev", defaultValue = "false")
    boolean attachNativeDev;

    /** Entry times of the attached jars and zips, for reproducible builds. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    String outputTimestamp;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true)
    File buildDirectory;

    @Parameter(defaultValue = "${project.build.finalName}", readonly = true)
    String finalName;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("isolate: skipped (isolate.skip)");
            return;
        }
        long start = System.nanoTime();
        long cpu = cpuNanos();
        claim("outputDirectory", outputDirectory);
        claim("workDirectory", workDirectory);
        try {
            run();
        } catch (MojoExecutionException | MojoFailureException | RuntimeException e) {
            try { // the directories are this execution's (claimed above)
                NativeBuild.discard(outputDirectory.toPath(), workDirectory.toPath(), List.of());
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        // docs/maven-plugin.md ("Up to date") gives these figures for an unchanged build, measured with mvn -X. The CPU
        // time of this thread is the steadier one on a loaded machine.
        getLog().debug("isolate: execution done in " + (System.nanoTime() - start) / 1_000_000 + " ms ("
                + (cpuNanos() - cpu) / 1_000_000 + " ms on CPU)");
    }

    private void run() throws MojoExecutionException, MojoFailureException {
        NativeBuild.Options o = options();
        List<Path> inputs = inputs();
        NativeBuild.Result r = engine(() -> NativeBuild.run(inputs, o, getLog()::debug));
        if (r.upToDate()) {
            getLog().info("isolate: up to date (" + Plural.of(inputs.size(), "library", "libraries") + " unchanged, fingerprint "
                    + r.fingerprint().substring(0, 12) + "), no ELF work done");
        } else {
            for (NativeBuild.Platform p : r.platforms()) {
                String libraries = Plural.of(p.index().size(), "library", "libraries");
                if (p.merged() != null) {
                    // Not the summary: it names the staged file, which has since moved. Where it is now instead.
                    getLog().info("isolate: " + p.platform() + ": " + p.merged().figures() + " -> " + p.libraries());
                    continue;
                }
                if (p.report() == null) {
                    getLog().info("isolate: " + p.platform() + ": " + libraries + " packaged unmodified for segregated loading -> "
                            + p.libraries());
                    if (p.platform().endsWith(CLibrary.MUSL_SUFFIX)) { // packaged all the same: the loader then says why on musl
                        getLog().warn("isolate: " + p.platform() + ": musl's dynamic linker has no dlmopen, so the loader cannot"
                                + " segregate this bundle on musl; isolate it with <mode>rename</mode> in an execution of its own,"
                                + " or leave it out with <includes>");
                    }
                    continue;
                }
                getLog().info("isolate: " + p.platform() + ": " + libraries + " isolated with prefix " + o.prefix() + " -> " + p.libraries());
                p.report().members().forEach(m -> m.links().unbundled().forEach(u -> getLog().warn("isolate: "
                        + Links.warning(m.input(), u))));
            }
        }
        for (NativeBuild.Platform p : r.platforms()) {
            engine(() -> {
                attach(p);
                return null;
            });
        }
    }

    /**
     * Two executions of one module writing one directory would replace each other's libraries and index
     * (the jar would carry only the second bundle): the first to run owns it for the build, the other
     * fails before writing anything. The same execution run again (two lifecycle goals) is welcome.
     */
    private void claim(String element, File dir) throws MojoFailureException {
        String key = "dev.isolate:" + element + ":" + dir.toPath().toAbsolutePath().normalize();
        String me = mojoExecution == null ? "default" : mojoExecution.getExecutionId();
        Object owner = project.getContextValue(key);
        if (owner != null && !owner.equals(me)) {
            throw new MojoFailureException("isolate: execution '" + me + "' would write <" + element + "> " + dir
                    + ", which execution '" + owner + "' of this module writes: give each execution its own <outputDirectory> and"
                    + " <workDirectory>, or put every library of the jar in one execution");
        }
        project.setContextValue(key, me);
    }

    private void attach(NativeBuild.Platform p) throws IOException {
        if (attachPlatformJars) {
            TreeMap<String, Path> entries = new TreeMap<>();
            String base = "native/" + p.platform() + "/";
            for (Path f : files(p.libraries())) {
                entries.put(base + f.getFileName(), f);
            }
            Path jar = buildDirectory.toPath().resolve(finalName + "-" + p.platform() + ".jar");
            written(jar, ReproducibleZip.writeUnlessCurrent(jar, entries, outputTimestamp, this::timestamp, true, stamp(jar)));
            attach("jar", p.platform(), jar);
        }
        if (attachNativeDev) {
            TreeMap<String, Path> entries = new TreeMap<>();
            for (Path f : files(p.devDir())) {
                entries.put(f.getFileName().toString(), f);
            }
            Path zip = buildDirectory.toPath().resolve(finalName + "-" + p.platform() + "-native-dev.zip");
            written(zip, ReproducibleZip.writeUnlessCurrent(zip, entries, outputTimestamp, this::timestamp, false, stamp(zip)));
            attach("zip", p.platform() + "-native-dev", zip);
        }
    }

    /**
     * This thread's time on a CPU so far, from Linux's {@code /proc/thread-self/schedstat} (0 elsewhere): the JDK's
     * ThreadMXBean would load a hundred classes of java.management for a debug line.
     */
    static long cpuNanos() {
        try {
            String s = Files.readString(Path.of("/proc/thread-self/schedstat"));
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** What the attached file was written from, for {@link ReproducibleZip#writeUnlessCurrent}. */
    private Path stamp(Path attached) {
        return workDirectory.toPath().resolve("attached").resolve(attached.getFileName() + ".stamp");
    }

    private void written(Path file, boolean written) {
        getLog().debug("isolate: " + file.getFileName() + (written ? " written" : " unchanged, not rewritten"));
    }

    /** Maven only logs "Replaced artifact" for a duplicate (MNG-5868): refuse it instead. */
    private void attach(String type, String classifier, Path file) {
        for (Artifact a : project.getAttachedArtifacts()) {
            if (classifier.equals(a.getClassifier()) && type.equals(a.getType()) && !file.toFile().equals(a.getFile())) {
                throw new IsolateBuildException("an artifact with type " + type + " and classifier "
                        + classifier + " is already attached (" + a.getFile() + "); give one of the executions other settings");
            }
        }
        projectHelper.attachArtifact(project, type, classifier, file.toFile());
        getLog().info("isolate: attached " + classifier + " " + type + " " + file.getFileName());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * {@code project.build.outputTimestamp}: ISO-8601 or seconds since the epoch; unset or one character: none. Parsed
     * only when an attached archive is written (an unchanged build does not load java.time's parsers).
     */
    private Instant timestamp() {
        if (outputTimestamp == null || outputTimestamp.length() < 2) {
            return null;
        }
        try {
            return outputTimestamp.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(outputTimestamp))
                    : OffsetDateTime.parse(outputTimestamp).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IsolateBuildException("project.build.outputTimestamp '" + outputTimestamp
                    + "' is neither ISO-8601 (2026-01-01T00:00:00Z) nor seconds since the epoch");
        }
    }
}
