package dev.isolate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.policy.Setting;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * A setting of renaming given to a mode that renames nothing is a configuration problem, named by its POM element,
 * not silently ignored: {@code <werror>}, {@code <allow>} and {@code <runpath>} were, until 2026-12-06.
 */
class ModeSettingsTest {
    /** What every mojo below also lacks: inputs, so {@code options()} always fails and says all it found. */
    private static final String NO_INPUTS_ONLY =
            "isolate: 1 configuration problem(s):\n  - no inputs: configure <fileSets>, <dependencyLibraries> or <artifacts>";

    private static IsolateMojo mojo(String mode) {
        IsolateMojo m = new IsolateMojo();
        m.mode = mode;
        m.runpath = AbstractIsolateMojo.DEFAULT_RUNPATH; // what Maven sets when the POM says nothing
        return m;
    }

    private static String problems(IsolateMojo m) {
        return assertThrows(MojoFailureException.class, m::options).getMessage();
    }

    @Test
    void policyAndRelinkingSettingsAreRefusedWhereNothingIsRenamed() {
        for (String mode : List.of("segregate", "merge")) {
            IsolateMojo m = mojo(mode);
            m.werror = true;
            m.allow.add("object-symbol");
            m.runpath = "$ORIGIN/../lib";
            String p = problems(m);
            for (String e : List.of("<werror>", "<allow>", "<runpath>")) {
                assertTrue(p.contains("  - " + e + " has no effect with <mode>" + mode + "</mode>, which renames nothing: remove it"),
                        mode + ", " + e + ": " + p);
            }
        }
    }

    @Test
    void theirDefaultsAreNoProblem() {
        for (String mode : List.of("segregate", "merge")) {
            String p = problems(mojo(mode)); // fails only for the missing inputs
            assertEquals(NO_INPUTS_ONLY, p, mode);
        }
    }

    @Test
    void theMergesSettingsAreRefusedElsewhere() {
        for (String mode : List.of("rename", "segregate")) {
            IsolateMojo m = mojo(mode);
            m.prefix = mode.equals("rename") ? "acme_" : null;
            m.keep.add("ZSTD_versionNumber");
            m.keepAllExports = true;
            String p = problems(m);
            for (String e : List.of("<keep>", "<keepAllExports>")) {
                assertTrue(p.contains("  - " + e + " has no effect with <mode>" + mode + "</mode>, only with <mode>merge</mode>: remove it"),
                        mode + ", " + e + ": " + p);
            }
        }
        IsolateMojo m = mojo("merge");
        m.keep.add("ZSTD_versionNumber");
        m.keepAllExports = true;
        assertEquals(NO_INPUTS_ONLY, problems(m));
        m.keep.add(" ");
        assertTrue(problems(m).contains("  - <keep> has an empty element: each names a symbol the merged file exports"), problems(m));
    }

    /** Every setting the engine can name in a failure is spelled as a parameter the POM really has. */
    @Test
    void everySettingNamesAPomElement() throws NoSuchFieldException {
        for (Setting s : Setting.values()) {
            String element = AbstractIsolateMojo.pomElement(s, "tls-symbol");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^<([A-Za-z]+)>").matcher(element);
            assertTrue(m.find(), s + ": " + element);
            AbstractIsolateMojo.class.getDeclaredField(m.group(1)); // throws when the POM has no such parameter
        }
    }

    @Test
    void renameTakesThem() {
        IsolateMojo m = mojo("rename");
        m.prefix = "acme_";
        m.werror = true;
        m.allow.add("object-symbol");
        m.runpath = "none";
        assertEquals(NO_INPUTS_ONLY, problems(m));
    }
}
