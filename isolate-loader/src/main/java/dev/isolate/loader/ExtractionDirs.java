package dev.isolate.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where bundles are extracted, in the order tried. A directory the user named (builder, system property,
 * environment variable) is the only candidate: if it cannot be used the load fails rather than quietly going
 * elsewhere. Otherwise the per-user cache is tried, then {@code java.io.tmpdir}, whose shared directory gets a
 * per-user subdirectory.
 */
final class ExtractionDirs {
    private ExtractionDirs() {}

    static final String PROPERTY = "isolate.native.dir";
    static final String ENV = "ISOLATE_NATIVE_DIR";

    /** A base directory and where it came from, for messages. */
    record Candidate(Path base, String source) {}

    /**
     * @param explicit the builder's {@code extractTo}, or null
     * @param property system properties ({@code System::getProperty} outside tests)
     * @param env environment variables ({@code System::getenv} outside tests)
     */
    static List<Candidate> candidates(Path explicit, UnaryOperator<String> property, UnaryOperator<String> env) {
        if (explicit != null) {
            return List.of(new Candidate(explicit.toAbsolutePath(), "NativeLoader.builder().extractTo(..)"));
        }
        String p = property.apply(PROPERTY);
        if (p != null && !p.isBlank()) {
            return List.of(new Candidate(Path.of(p).toAbsolutePath(), "system property " + PROPERTY));
        }
        String e = env.apply(ENV);
        if (e != null && !e.isBlank()) {
            return List.of(new Candidate(Path.of(e).toAbsolutePath(), "environment variable " + ENV));
        }
        List<Candidate> out = new ArrayList<>();
        String xdg = env.apply("XDG_CACHE_HOME");
        String home = property.apply("user.home");
        if (xdg != null && Path.of(xdg).isAbsolute()) { // the XDG spec says to ignore a relative path
            out.add(new Candidate(Path.of(xdg, "isolate"), "$XDG_CACHE_HOME/isolate"));
        } else if (home != null && !home.isBlank() && !home.equals("?")) {
            out.add(new Candidate(Path.of(home, ".cache", "isolate").toAbsolutePath(), "~/.cache/isolate"));
        }
        String tmp = property.apply("java.io.tmpdir");
        if (tmp != null && !tmp.isBlank()) {
            String user = property.apply("user.name");
            String sub = "isolate-" + (user == null || user.isBlank() ? "user" : user.replaceAll("[^A-Za-z0-9._-]", "_"));
            out.add(new Candidate(Path.of(tmp, sub).toAbsolutePath(), "java.io.tmpdir"));
        }
        return out;
    }
}
