package dev.isolate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin is a front end beside the command line, not on top of it: it uses the engine's API and never the CLI,
 * and its core ({@code dev.isolate.maven.core}, what both goals run) has no Maven types. Read from the imports and
 * qualified names of the main sources, as the engine's PackageLayersTest does.
 */
class FrontEndLayersTest {
    static final Path MAIN = Path.of("src/main/java/dev/isolate/maven");

    @Test
    void thePluginDoesNotUseTheCommandLine() throws IOException {
        assertEquals(List.of(), filesNaming("", "dev.isolate.engine.cli."), "plugin sources that use the CLI");
    }

    @Test
    void theCoreHasNoMavenTypes() throws IOException {
        assertEquals(List.of(), filesNaming("core", "org.apache.maven."), "core sources that use Maven");
        assertEquals(List.of(), filesNaming("core", "org.eclipse.aether."), "core sources that use Maven's resolver");
        assertTrue(filesNaming("", "org.apache.maven.").contains("AbstractIsolateMojo.java"), "the search finds what is there");
    }

    private static List<String> filesNaming(String under, String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(MAIN.resolve(under))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                if (code.contains(prefix)) {
                    out.add(f.getFileName().toString());
                }
            }
        }
        return out;
    }
}
