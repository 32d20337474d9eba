package dev.isolate.engine.policy;

import dev.isolate.engine.elf.ElfFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what changes when several libraries are isolated together, as one unit: a JNI library and the
 * libraries it was linked against. Each member's exports follow {@link SymbolPolicy}; on top of that:
 * <ul>
 *   <li>an undefined reference to a name another member exports (and renames) is renamed to match, unless
 *       its version is required of a library outside the bundle (then it binds elsewhere);</li>
 *   <li>each DT_NEEDED (and Verneed vn_file) naming a member's old SONAME names its new one;</li>
 *   <li>a JNI library keeps its SONAME and file name, alone or with others: the JVM loads it by file name
 *       ({@code System.loadLibrary}), nothing links against it, and its {@code Java_*} names are kept
 *       anyway, so a new name would only break its callers (the caller passes no new SONAME for it);</li>
 *   <li>a DT_NEEDED that is neither a member nor a system library is reported (unbundled), for a bundle of
 *       one too: a glue isolated without the library it was linked against still binds to whichever copy
 *       the process has.</li>
 * </ul>
 * The members' dependency graph decides nothing: cycles are fine, and the order is the caller's.
 */
public final class BundlePolicy {
    private BundlePolicy() {}

    /** One library of the bundle, as read and classified. {@code key} is its SONAME, or its file name without one. */
    public record Input(String key, ElfFile elf, Classification classification) {}

    /**
     * What changes in one member beyond its own exports.
     *
     * @param newSoname  the new SONAME, or null when the member keeps its SONAME (JNI libraries)
     * @param imports    undefined references renamed to follow another member
     * @param needed     old SONAME -> new SONAME for the members this one needs
     * @param unbundled  DT_NEEDED names that are neither members nor system libraries
     */
    public record Member(Input input, String newSoname, List<Export> imports, Map<String, String> needed,
            List<String> unbundled) {}

    /** True when the library exports a JNI entry point (and so is loaded by the JVM by name). */
    public static boolean isJniLibrary(Classification c) {
        return c.kept().stream().anyMatch(e -> e.reason() == SkipReason.JNI_ENTRY_POINT);
    }

    /**
     * @param newSonames the SONAME each member gets, by key (null entries keep the old one); see
     *                   {@link #defaultSoname}
     */
    public static List<Member> plan(List<Input> inputs, Map<String, String> newSonames) {
        // Renamed exports of the bundle; a name some member exports unrenamed stays ambiguous: not followed.
        // Only names some member imports can be followed, and they are few (libLLVM: 45k exports, 1k
        // imports): the maps hold those alone.
        Set<String> imported = new HashSet<>();
        for (Input in : inputs) {
            ElfFile elf = in.elf();
            for (int i = 1; i < elf.syms.length; i++) {
                if (!elf.syms[i].isDefined()) {
                    imported.add(elf.name(i));
                }
            }
        }
        Map<String, String> renamedExports = new HashMap<>();
        Set<String> keptExports = new HashSet<>();
        for (Input in : inputs) {
            for (Export e : in.classification().renamed()) {
                if (imported.contains(e.name())) {
                    renamedExports.put(e.name(), e.newName());
                }
            }
            for (Export e : in.classification().kept()) {
                if (e.defined() && imported.contains(e.name())) {
                    keptExports.add(e.name());
                }
            }
        }
        renamedExports.keySet().removeAll(keptExports);

        Map<String, String> soRename = new LinkedHashMap<>();
        Set<String> keys = new HashSet<>();
        for (Input in : inputs) {
            keys.add(in.key());
            String to = newSonames.get(in.key());
            if (to != null && !to.equals(in.key())) {
                soRename.put(in.key(), to);
            }
        }

        List<Member> out = new ArrayList<>();
        for (Input in : inputs) {
            ElfFile elf = in.elf();
            List<Export> imports = new ArrayList<>();
            for (int i = 1; i < elf.syms.length; i++) {
                if (elf.syms[i].isDefined()) {
                    continue;
                }
                String to = renamedExports.get(elf.name(i));
                String from = elf.requiredFile(i);
                if (to != null && (from == null || keys.contains(from))) {
                    var s = elf.syms[i];
                    imports.add(new Export(i, elf.name(i), elf.versionName(i), true, s.type(), s.bind(), s.visibility(),
                            false, to, null, List.of()));
                }
            }
            Map<String, String> needed = new LinkedHashMap<>();
            List<String> unbundled = new ArrayList<>();
            for (String n : elf.needed) {
                if (soRename.containsKey(n)) {
                    needed.put(n, soRename.get(n));
                } else if (!keys.contains(n) && !SystemLibraries.isSystem(n)) {
                    unbundled.add(n);
                }
            }
            out.add(new Member(in, newSonames.get(in.key()), List.copyOf(imports), needed, List.copyOf(unbundled)));
        }
        return out;
    }

    /** {@code libzstd.so.1} -> {@code libacme_zstd.so.1}; a name without {@code lib} gets the prefix in front. */
    public static String defaultSoname(String oldSoname, String prefix) {
        return oldSoname.startsWith("lib") ? "lib" + prefix + oldSoname.substring(3) : prefix + oldSoname;
    }
}
