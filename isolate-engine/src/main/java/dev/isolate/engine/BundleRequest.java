package dev.isolate.engine;

import dev.isolate.engine.policy.NameRules;
import dev.isolate.engine.policy.Setting;
import dev.isolate.engine.policy.WarningCategory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several libraries isolated together under one prefix: a JNI library and the libraries it was linked
 * against. Each member's exports are renamed, and the references between members follow.
 *
 * @param inputs   the member libraries, in the order the report lists them
 * @param sonames  new SONAMEs chosen by the user, keyed by a member's old SONAME or its input file name
 * @param runpath  DT_RUNPATH for every member ({@code $ORIGIN}, so members extracted into one directory
 *                 find each other), or null to leave DT_RUNPATH/DT_RPATH as they are
 * @param names    link names of the members' consumer artifacts ({@code -lN}), keyed like {@code sonames};
 *                 by default derived from the SONAME ({@code libzstd.so.1} -> {@code zstd}); a JNI member gets
 *                 artifacts only when it has an entry here
 */
public record BundleRequest(List<Path> inputs, Path outputDir, String prefix, Map<String, String> sonames,
        List<String> excludes, boolean werror, Set<WarningCategory> allowed, String runpath, Map<String, String> names) {

    /** The default DT_RUNPATH of a bundle's members. */
    public static final String ORIGIN = "$ORIGIN";

    public BundleRequest {
        if (inputs.isEmpty()) {
            throw new IsolateException("a bundle needs at least one input library");
        }
        List<Problem> problems = problems(prefix, sonames, names);
        if (!problems.isEmpty()) {
            throw new IsolateException(problems.get(0).message());
        }
        if (runpath != null && runpath.indexOf('\0') >= 0) {
            throw new IsolateException("runpath must not contain NUL");
        }
        inputs = List.copyOf(inputs);
        sonames = Map.copyOf(sonames);
        excludes = List.copyOf(excludes);
        allowed = Set.copyOf(allowed);
        names = Map.copyOf(names);
    }

    /**
     * A value a request cannot take.
     *
     * @param setting which setting: {@link Setting#PREFIX}, {@link Setting#SONAME} or {@link Setting#LINK_NAME}
     * @param member  the member it was given for (a SONAME or file name), or null for the prefix
     * @param rule    the rule it breaks, {@code must be ...}
     */
    public record Problem(Setting setting, String member, String value, String rule) {
        /** The engine's own words: {@code SONAME 'x/y' for libz.so.1 must be a plain file name}. */
        public String message() {
            String what = switch (setting) {
                case PREFIX -> "prefix";
                case SONAME -> "SONAME";
                default -> "link name";
            };
            return what + " '" + value + "'" + (member == null ? "" : " for " + member) + " " + rule;
        }
    }

    /**
     * Every value of these settings that breaks a rule of {@link NameRules}: the prefix, then the SONAMEs, then the
     * link names, in the maps' order. The constructor refuses the first; a front end that reports all problems at
     * once (the Maven plugin) asks here, and names each setting its own way.
     */
    public static List<Problem> problems(String prefix, Map<String, String> sonames, Map<String, String> names) {
        List<Problem> out = new ArrayList<>();
        if (!NameRules.isPrefix(prefix)) {
            out.add(new Problem(Setting.PREFIX, null, prefix, NameRules.PREFIX_RULE));
        }
        sonames.forEach((member, soname) -> {
            if (!NameRules.isPlainFileName(soname)) {
                out.add(new Problem(Setting.SONAME, member, soname, NameRules.FILE_NAME_RULE));
            }
        });
        names.forEach((member, name) -> {
            if (!NameRules.isLinkName(name)) {
                out.add(new Problem(Setting.LINK_NAME, member, name, NameRules.LINK_NAME_RULE));
            }
        });
        return out;
    }
}
