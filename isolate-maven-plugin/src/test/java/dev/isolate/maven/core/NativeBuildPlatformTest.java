package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform a build input (a file set's library, an archive's staged one) is grouped under: its machine's, with
 * {@code -musl} for a library built for musl libc, whatever folder it came from; a library that names another system
 * keeps its machine's (the user named it), and a malformed one is left to the engine's refusal.
 */
class NativeBuildPlatformTest {
    @TempDir
    Path dir;

    private Path build(String compiler, String name) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        Files.writeString(src, "int f(void) { return 1; }\n");
        Path out = dir.resolve(name);
        Process p = new ProcessBuilder(compiler, "-shared", "-fPIC", "-o", out.toString(), src.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), compiler + " " + src + " (.ci/run installs gcc and musl-tools)");
        return out;
    }

    @Test
    void muslLibrariesGoToTheMuslPlatform() throws Exception {
        assertEquals("linux-x86_64", NativeBuild.platform(build("gcc", "libg.so")));
        assertEquals("linux-x86_64-musl", NativeBuild.platform(build("musl-gcc", "libm.so")));
    }

    @Test
    void anotherSystemsLibraryKeepsItsMachinesPlatform() throws Exception {
        byte[] b = Files.readAllBytes(build("gcc", "libf.so"));
        b[LibraryPlatform.EI_OSABI] = 9; // FreeBSD
        Path f = Files.write(dir.resolve("libfreebsd.so"), b);
        assertEquals("linux-x86_64", NativeBuild.platform(f));
    }
}
