package dev.isolate.maven;

import dev.isolate.engine.BundleReport;
import dev.isolate.engine.BundleRequest;
import dev.isolate.engine.Isolator;
import dev.isolate.engine.Plural;
import dev.isolate.engine.Report;
import dev.isolate.engine.cli.Main;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.machine.Machine;
import dev.isolate.maven.core.NativeBuild;
import dev.isolate.maven.core.NativeIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * The dry run: what {@code isolate} would rename, keep (and why), relink and warn about, for the same
 * configuration, in the build log and as JSON in target/isolate/inspect-{platform}.json. Writes no
 * library.
 */
@Mojo(name = "inspect", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class InspectMojo extends AbstractIsolateMojo {
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("isolate: inspect skipped (isolate.skip)");
            return;
        }
        NativeBuild.Options o = options();
        List<Path> inputs = inputs();
        if (o.mode().equals(NativeIndex.SEGREGATE)) {
            getLog().info("isolate inspect: nothing to inspect: <mode>segregate</mode> renames nothing ("
                    + Plural.of(inputs.size(), "library", "libraries") + " packaged unmodified)");
            return;
        }
        engine(() -> {
            Map<String, List<Path>> byPlatform = new TreeMap<>();
            for (Path in : inputs) {
                byPlatform.computeIfAbsent(Machine.of(ElfFile.read(in).ehdr.e_machine()).platform(), k -> new ArrayList<>()).add(in);
            }
            for (var e : byPlatform.entrySet()) {
                BundleReport r = Isolator.inspect(new BundleRequest(e.getValue(), o.workDir(), o.prefix(), o.sonames(),
                        o.excludes(), o.werror(), o.allowed(), o.runpath(), o.names()));
                for (Report m : r.members()) {
                    // A JNI library keeps its names: say so rather than "SONAME X -> X".
                    String naming = m.naming().source() == Report.Source.KEPT ? "keeps its names (" + m.naming().fileName() + ")"
                            : "SONAME " + m.oldSoname() + " -> " + m.newSoname();
                    getLog().info("isolate inspect " + e.getKey() + ": " + m.input().getFileName() + ": " + naming + ", "
                            + m.classification().renamed().size() + " renamed, "
                            + m.classification().kept().size() + " kept, " + m.links().imports().size() + " imports follow");
                    Main.text(m).lines().forEach(getLog()::debug);
                }
                Path json = o.workDir().resolve("inspect-" + e.getKey() + ".json");
                Files.createDirectories(json.getParent());
                Files.writeString(json, Main.json(r), StandardCharsets.UTF_8);
                getLog().info("isolate inspect: report " + json);
            }
            return null;
        });
    }
}
