package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractionDirsTest {
    static final Map<String, String> PROPS = Map.of("user.home", "/home/u", "java.io.tmpdir", "/tmp", "user.name", "u");

    static List<ExtractionDirs.Candidate> candidates(Path explicit, Map<String, String> props, Map<String, String> env) {
        return ExtractionDirs.candidates(explicit, props::get, env::get);
    }

    static Map<String, String> with(Map<String, String> base, String k, String v) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(base);
        m.put(k, v);
        return m;
    }

    @Test
    void defaultsAreTheUserCacheThenTmp() {
        assertEquals(List.of(new ExtractionDirs.Candidate(Path.of("/home/u/.cache/isolate"), "~/.cache/isolate"),
                new ExtractionDirs.Candidate(Path.of("/tmp/isolate-u"), "java.io.tmpdir")), candidates(null, PROPS, Map.of()));
    }

    @Test
    void xdgCacheHomeWhenAbsolute() {
        assertEquals(Path.of("/xdg/isolate"), candidates(null, PROPS, Map.of("XDG_CACHE_HOME", "/xdg")).get(0).base());
        assertEquals(Path.of("/home/u/.cache/isolate"), candidates(null, PROPS, Map.of("XDG_CACHE_HOME", "rel")).get(0).base(),
                "the XDG spec says a relative path is ignored");
    }

    @Test
    void aNamedDirectoryIsTheOnlyCandidate() {
        Map<String, String> env = Map.of("ISOLATE_NATIVE_DIR", "/env", "XDG_CACHE_HOME", "/xdg");
        Map<String, String> props = with(PROPS, "isolate.native.dir", "/prop");
        assertEquals(List.of(new ExtractionDirs.Candidate(Path.of("/b"), "NativeLoader.builder().extractTo(..)")),
                candidates(Path.of("/b"), props, env));
        assertEquals(List.of(new ExtractionDirs.Candidate(Path.of("/prop"), "system property isolate.native.dir")),
                candidates(null, props, env));
        assertEquals(List.of(new ExtractionDirs.Candidate(Path.of("/env"), "environment variable ISOLATE_NATIVE_DIR")),
                candidates(null, PROPS, env));
        assertEquals(Path.of("/env"), candidates(null, with(PROPS, "isolate.native.dir", " "), env).get(0).base(), "blank is unset");
    }

    @Test
    void noHomeAndOddUserNames() {
        Map<String, String> props = with(with(PROPS, "user.home", "?"), "user.name", "a b/c");
        assertEquals(List.of(new ExtractionDirs.Candidate(Path.of("/tmp/isolate-a_b_c"), "java.io.tmpdir")),
                candidates(null, props, Map.of()));
    }
}
