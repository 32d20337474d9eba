package dev.isolate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file set over the whole build directory finds what earlier runs placed ({@code target/classes/native}) and staged
 * ({@code target/isolate}) too: those are left out, or a second build would isolate the isolated copies again and
 * prefix the prefixed names.
 */
class OwnOutputsTest {
    @TempDir
    Path target;

    private Path file(String rel) throws Exception {
        Path p = target.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[] {0x7f, 'E', 'L', 'F'});
    }

    @Test
    void aFileSetOverTheBuildDirectorySkipsThePluginsOwnOutputs() throws Exception {
        Path input = file("native/libz.so.1");
        file("classes/native/linux-x86_64/libacme_z.so.1");
        file("isolate/linux-x86_64/libacme_z.so.1");
        file("isolate/inputs/dep/linux-x86_64/libfoo.so");
        IsolateMojo m = new IsolateMojo();
        m.outputDirectory = target.resolve("classes/native").toFile();
        m.workDirectory = target.resolve("isolate").toFile();
        FileSet fs = new FileSet();
        fs.directory = target.toFile();
        m.fileSets.add(fs);
        assertEquals(List.of(input), m.inputs());
    }
}
