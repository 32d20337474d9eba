package dev.isolate.engine;

import dev.isolate.engine.policy.Setting;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The settings named in a failure are spelled by the front end: flags on the command line, anything else elsewhere. */
class IsolateExceptionTest {
    @Test
    void settingsAreFlagsByDefaultAndWhateverTheFrontEndSaysOtherwise() {
        IsolateException e = new IsolateException("lib: warnings are errors (" + Setting.WERROR.token() + "); allow with "
                + Setting.ALLOW.token("tls-symbol") + ", or " + Setting.EXCLUDE.token() + " a name; {NOT_A_SETTING} stays");
        assertEquals("lib: warnings are errors (--werror); allow with --allow-tls-symbol, or --exclude a name; {NOT_A_SETTING} stays",
                e.getMessage());
        assertEquals("lib: warnings are errors (<W>); allow with <A:tls-symbol>, or <E> a name; {NOT_A_SETTING} stays",
                e.message((s, arg) -> "<" + s.name().charAt(0) + (arg == null ? "" : ":" + arg) + ">"));
    }

    @Test
    void aRealPolicyFailureNamesItsSettings() throws Exception {
        Path kitchen = Tools.fixtures().resolve("libkitchen-gnu.so");
        IsolateException e = org.junit.jupiter.api.Assertions.assertThrows(IsolateException.class, () -> Checks.isolate(
                kitchen, Tools.freshWork("isolate-exception"), "acme_", true, Set.of()));
        String pom = e.message((s, arg) -> s == Setting.ALLOW ? "<allow>" + arg + "</allow>" : "<" + s.name().toLowerCase() + ">");
        assertEquals(e.getMessage().replace("(--werror)", "(<werror>)").replace("--allow-<category>", "<allow><category></allow>"), pom,
                "the same message, other spellings");
    }
}
