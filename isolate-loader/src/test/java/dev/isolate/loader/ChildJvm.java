package dev.isolate.loader;

import dev.isolate.engine.Tools;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JVM running {@link LoadMain}, and the file its stderr goes to. */
record ChildJvm(Process process, Path stderr) {
    /** {@code java OPTIONS -cp <loader classes>:<test classes>:<jar> LoadMain ARGS}. */
    static ChildJvm start(List<String> options, Path jar, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, codeSource(NativeLoader.class), codeSource(LoadMain.class), jar.toString()));
        cmd.add(LoadMain.class.getName());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(Tools.work("proc"), "child", ".err");
        return new ChildJvm(new ProcessBuilder(cmd).redirectError(err.toFile()).start(), err);
    }

    private static String codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    String err() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Everything on stdout, after the JVM has exited. */
    String output() throws IOException, InterruptedException {
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish in 2 minutes: " + out + err());
        }
        return out;
    }
}
