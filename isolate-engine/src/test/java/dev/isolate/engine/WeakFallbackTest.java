package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.SkipReason;
import dev.isolate.engine.policy.WarningCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * netty-tcnative's pattern, in a fixture (src/test/c/weakstrdup.c): a JNI library with a weak {@code __strdup}
 * that is a {@code jmp .}, called from JNI_OnLoad, and a strong {@code __isnan} that answers -1. Isolated, both
 * keep their names (warned about), so the copy, loaded under another file name in a real JVM as a shaded jar
 * loads it, still gets libc's answers. Had {@code __strdup} been renamed, System.load would never return (it
 * did, before the C runtime list came from the Debian packages): the child JVM's timeout fails the test.
 */
class WeakFallbackTest {
    /** Generous: two cores shared by several builds; a healthy child JVM takes well under a second. */
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    static Export kept(Report r, String name) {
        assertTrue(r.classification().renamed().stream().noneMatch(e -> e.name().equals(name)), name + " must not be renamed");
        return r.classification().kept().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not among the kept exports of " + r.input()));
    }

    /** {@code java -cp CLASSPATH mainClass lib args...} in a child JVM; a hang fails the test after CHILD_TIMEOUT. */
    static Tools.Result load(String classpath, String mainClass, Path lib, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, mainClass, lib.toString()));
        command.addAll(List.of(args));
        return Tools.run(command, CHILD_TIMEOUT, true);
    }

    /** The test classes directory (surefire's java.class.path may be a manifest-only jar). */
    static String testClasses() {
        try {
            return Path.of(WeakStrdupMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theWeakSelfLoopAndTheStrongDefinitionAreKeptAndTheCopyLoadsUnderAnotherName() throws IOException {
        Path fixture = Tools.fixtures().resolve("libweakstrdup.so");
        String expected = "loaded; copy=libc's __strdup answered; __isnan(NaN)=1";
        Tools.Result original = load(testClasses(), WeakStrdupMain.class.getName(), fixture);
        assertTrue(original.exit() == 0 && original.out().contains(expected), "the original fixture: " + original.describe());

        Path out = Tools.freshWork("weak-fallback");
        Report r = Checks.isolate(fixture, out.resolve("isolated"), "acme_");
        // As a shading build does: the isolated copy, under a file name of its own.
        Path shaded = Files.copy(r.output(), Files.createDirectories(out.resolve("shaded")).resolve("libshaded_weakstrdup.so"));
        Tools.Result copy = load(testClasses(), WeakStrdupMain.class.getName(), shaded);
        assertEquals(0, copy.exit(), "the isolated copy: " + copy.describe());
        assertTrue(copy.out().contains(expected), "the isolated copy answers as the original: " + copy.describe());

        // Why: both kept, both warned about.
        Export strdup = kept(r, "__strdup");
        assertEquals(SkipReason.WEAK_OVERRIDE, strdup.reason(), "why __strdup is kept");
        assertEquals(List.of(WarningCategory.WEAK_OVERRIDE), strdup.warnings(), "warnings of __strdup");
        Export isnan = kept(r, "__isnan");
        assertEquals(SkipReason.LIBC, isnan.reason(), "why __isnan is kept");
        assertEquals(List.of(WarningCategory.LIBC_DEFINITION), isnan.warnings(), "warnings of __isnan");
        assertEquals("definition of a C runtime / libc name: libc's wins, as in the original", isnan.reason().text());
        assertEquals("weak definition of a C runtime / libc name: libc's wins, as in the original", strdup.reason().text());
        // ... and inspect and the manifest say so.
        String text = dev.isolate.engine.report.TextReport.of(r.library());
        assertTrue(text.contains("\n    __strdup  (weak definition of a C runtime / libc name: libc's wins, as in the original)\n")
                && text.contains("\n    __isnan  (definition of a C runtime / libc name: libc's wins, as in the original)\n")
                && text.contains("\n  warning weak-override: 1 (__strdup)\n  warning libc-definition: 1 (__isnan)\n"), text);
        String json = dev.isolate.engine.json.Json.write(dev.isolate.engine.consumer.Manifest.toJson(r.library()));
        assertTrue(json.contains("{\"name\": \"__strdup\", \"reason\": \"weak-override\", \"type\": \"FUNC\", \"bind\": \"WEAK\"")
                && json.contains("{\"name\": \"__isnan\", \"reason\": \"libc\", \"type\": \"FUNC\", \"bind\": \"GLOBAL\"")
                && json.replaceAll("\\s+", "").contains("\"warnings\":{\"weak-override\":[\"__strdup\"],\"libc-definition\":[\"__isnan\"]}"),
                json);
    }

    @Test
    void werrorNamesBothCategoriesAndAllowingThemPasses() throws IOException {
        Path fixture = Tools.fixtures().resolve("libweakstrdup.so");
        Path out = Tools.freshWork("weak-fallback-werror");
        IsolateException e = assertThrows(IsolateException.class, () -> Checks.isolate(
                fixture, out, "acme_", true, Set.of()));
        assertEquals(fixture + ": warnings are errors (--werror): weak-override (1, e.g. __strdup), libc-definition (1, e.g. "
                + "__isnan); allow a category with --allow-<category>", e.getMessage());
        Report r = Checks.isolate(fixture, out, "acme_", true,
                Set.of(WarningCategory.WEAK_OVERRIDE, WarningCategory.LIBC_DEFINITION));
        assertTrue(Files.isRegularFile(r.output()), "isolated with both allowed: " + r.output());
    }

    @Test
    void theCommandLineAllowsLibcDefinitionLikeAnyCategory() {
        String fixture = Tools.fixtures().resolve("libweakstrdup.so").toString();
        CliTest.Run strict = CliTest.run("isolate", fixture, "-o", Tools.freshWork("weak-fallback-cli").toString(), "--prefix", "acme_",
                "--werror", "--allow-weak-override");
        assertEquals(1, strict.exit(), "libc-definition not allowed: " + strict);
        assertEquals("isolate: " + fixture + ": warnings are errors (--werror): libc-definition (1, e.g. __isnan); allow a category with "
                + "--allow-<category>\n", strict.err());
        CliTest.Run allowed = CliTest.run("isolate", fixture, "-o", Tools.freshWork("weak-fallback-cli").toString(), "--prefix", "acme_",
                "--werror", "--allow-weak-override", "--allow-libc-definition");
        assertEquals(0, allowed.exit(), "both allowed: " + allowed);
        CliTest.Run help = CliTest.run("isolate", "--help");
        assertTrue(help.out().contains("weak-override, libc-definition,"), "--help lists libc-definition: " + help);
    }
}
