package dev.isolate.engine.policy;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.machine.Machine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the engine refuses to do, checked before anything is written (by {@code inspect} too: a dry run refuses
 * what the real one would). Each check returns the refusal as a message template, the settings that would get past
 * it as {@link Setting} tokens, or null when there is none; the caller raises it.
 */
public final class Preflight {
    private Preflight() {}

    /** A bundle is for one platform: every member's machine is the first one's. */
    public static String sameMachine(Path input, int eMachine, Path first, int firstMachine) {
        if (eMachine == firstMachine) {
            return null;
        }
        return input + ": machine " + Machine.of(eMachine).platform() + " differs from " + first + " ("
                + Machine.of(firstMachine).platform() + "): a bundle is for one platform";
    }

    /**
     * One member against the policy: not isolated already, no new name that collides with an existing export, and
     * under {@code werror} no warning but the allowed ones.
     *
     * @param plan what changes in it beyond its own exports
     */
    public static String member(Path input, ElfFile elf, Classification c, BundlePolicy.Member plan, String prefix,
            boolean werror, Set<WarningCategory> allowed) {
        String file = input.toString();
        String soname = plan.newSoname();
        if (soname != null && elf.soname != null && elf.soname.equals(soname)) {
            return file + ": the SONAME is already " + soname + ": nothing to isolate";
        }
        boolean allPrefixed = c.renamed().stream().allMatch(e -> e.name().startsWith(prefix))
                && (!c.renamed().isEmpty() || !plan.imports().isEmpty() || soname != null);
        if (allPrefixed && plan.imports().isEmpty() && elf.soname != null
                && (elf.soname.startsWith("lib" + prefix) || elf.soname.startsWith(prefix))) {
            return file + ": already isolated with prefix '" + prefix + "' (SONAME " + elf.soname
                    + ", every export starts with the prefix); refusing to prefix twice";
        }
        // A new name is the prefix and the old name: only a defined name that starts with the prefix can
        // be one. Those are looked at as bytes (usually there are none); the 45k others are never decoded.
        Set<String> defined = new HashSet<>();
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 1; i < elf.syms.length; i++) {
            if (elf.syms[i].isDefined() && elf.nameStartsWith(i, p)) {
                defined.add(elf.name(i));
            }
        }
        for (Export e : defined.isEmpty() ? List.<Export>of() : c.renamed()) {
            if (defined.contains(e.newName())) {
                return file + ": renaming " + e.name() + " would collide with the existing export " + e.newName()
                        + "; choose another prefix or " + Setting.EXCLUDE.token() + " one of them";
            }
        }
        if (werror) {
            Map<WarningCategory, List<Export>> w = c.warnings();
            w.keySet().removeAll(allowed);
            if (!w.isEmpty()) {
                String list = w.entrySet().stream().map(en -> en.getKey().id() + " (" + en.getValue().size() + ", e.g. "
                        + en.getValue().get(0).name() + ")").collect(Collectors.joining(", "));
                return file + ": warnings are errors (" + Setting.WERROR.token() + "): " + list + "; allow a category with "
                        + Setting.ALLOW.token("<category>");
            }
        }
        return null;
    }

    /**
     * Under {@code werror}, a member that needs a library neither in the bundle nor a system library, alone or with
     * others: a glue given without the library it was linked against is the likeliest mistake.
     */
    public static String unbundled(Path input, List<String> unbundled, boolean werror, Set<WarningCategory> allowed) {
        if (!werror || allowed.contains(WarningCategory.UNBUNDLED_DEPENDENCY) || unbundled.isEmpty()) {
            return null;
        }
        return input + ": warnings are errors (" + Setting.WERROR.token() + "): " + WarningCategory.UNBUNDLED_DEPENDENCY.id()
                + " (" + Links.needs(String.join(", ", unbundled)) + "); allow it with "
                + Setting.ALLOW.token(WarningCategory.UNBUNDLED_DEPENDENCY.id());
    }

    /**
     * The output file name for a new SONAME: the output is named after it, so it must be a name, and one this file
     * system can spell.
     */
    public static String outputFileName(Path input, String soname) {
        String hint = "; pass " + Setting.SONAME.token() + " to choose one";
        if (!NameRules.isPlainFileName(soname)) {
            return input + ": the new SONAME '" + soname + "' is not a plain file name" + hint;
        }
        if (NameRules.fileNameFor(soname) == null) {
            return input + ": the new SONAME '" + soname + "' has bytes that the file-name encoding "
                    + System.getProperty("sun.jnu.encoding") + " cannot spell" + hint;
        }
        return null;
    }

    /**
     * One output library of a bundle and its artifacts.
     *
     * @param key      its SONAME, or its input's file name without one
     * @param linkName the link name of its artifacts, or null when it gets none
     * @param jni      a JNI library (it keeps its SONAME: only a link name can move its artifacts)
     */
    public record Output(Path input, String key, String fileName, String linkName, boolean jni) {}

    /**
     * Every output of the run, libraries and artifacts, gets a name of its own: no artifact may overwrite a
     * library (a linker script named like the JNI library a loader looks for would silently replace it) or
     * another artifact.
     */
    public static String outputNames(List<Output> outputs, String prefix) {
        Set<String> keys = new HashSet<>();
        Map<String, Output> libraries = new HashMap<>();
        for (Output j : outputs) {
            if (!keys.add(j.key())) {
                return j.input() + ": two members of the bundle are named " + j.key();
            }
            Output other = libraries.putIfAbsent(j.fileName(), j);
            if (other != null) {
                return j.input() + ": two outputs of the bundle would be named " + j.fileName() + " (this one and "
                        + other.input() + "); pass " + Setting.SONAME.token() + " for one of them";
            }
        }
        Set<String> artifacts = new HashSet<>();
        for (Output j : outputs) {
            if (j.linkName() == null) {
                continue;
            }
            ArtifactNames names = new ArtifactNames(j.linkName(), prefix);
            // The linker script names the library by its file name, in quotes.
            if (j.fileName().indexOf('"') >= 0 || j.fileName().chars().anyMatch(ch -> ch < 0x20)) {
                return j.input() + ": the output name '" + j.fileName()
                        + "' has a quote or a control character, which a linker script cannot name; pass " + Setting.SONAME.token();
            }
            for (String a : names.all()) {
                Output owner = libraries.get(a);
                if (owner == j) {
                    return j.input() + ": the artifact " + a + " for -l" + names.name()
                            + " would overwrite the library of the same name; pass another " + Setting.LINK_NAME.token()
                            + (j.jni() ? "" : " or " + Setting.SONAME.token());
                }
                if (owner != null) {
                    return j.input() + ": the artifact " + a + " for -l" + names.name() + " would overwrite the library " + a
                            + " of " + owner.input() + "; pass another " + Setting.LINK_NAME.token();
                }
                if (!artifacts.add(a)) {
                    return j.input() + ": its artifact " + a + " would overwrite another output of the"
                            + " bundle; give the members other link names";
                }
            }
        }
        return null;
    }
}
