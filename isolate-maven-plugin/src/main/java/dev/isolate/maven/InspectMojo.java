package dev.isolate.maven;

import dev.isolate.engine.Report;
import dev.isolate.engine.common.Plural;
import dev.isolate.engine.policy.Naming;
import dev.isolate.engine.report.TextReport;
import dev.isolate.maven.core.NativeBuild;
import dev.isolate.maven.core.NativeIndex;
import java.nio.file.Path;
import java.util.List;
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
            getLog().info("isolate inspect: nothing to inspect: <mode>segregate</mode> changes nothing ("
                    + Plural.of(inputs.size(), "library", "libraries") + " packaged unmodified)");
            return;
        }
        if (o.mode().equals(NativeIndex.MERGE)) {
            engine(() -> {
                for (NativeBuild.MergeInspection i : NativeBuild.inspectMerge(inputs, o)) {
                    getLog().info("isolate inspect " + i.platform() + ": would have " + i.report().figures());
                    i.report().text().lines().forEach(getLog()::debug);
                    getLog().info("isolate inspect: report " + i.json());
                }
                return null;
            });
            return;
        }
        engine(() -> {
            for (NativeBuild.Inspection i : NativeBuild.inspect(inputs, o)) {
                for (Report m : i.report().members()) {
                    // A JNI library keeps its names: say so rather than "SONAME X -> X".
                    String naming = m.naming().source() == Naming.Source.KEPT ? "keeps its names (" + m.naming().fileName() + ")"
                            : "SONAME " + m.oldSoname() + " -> " + m.newSoname();
                    getLog().info("isolate inspect " + i.platform() + ": " + m.input().getFileName() + ": " + naming + ", "
                            + m.classification().renamed().size() + " renamed, "
                            + m.classification().kept().size() + " kept, " + m.links().imports().size() + " imports follow");
                    TextReport.of(m.library()).lines().forEach(getLog()::debug);
                }
                getLog().info("isolate inspect: report " + i.json());
            }
            return null;
        });
    }
}
