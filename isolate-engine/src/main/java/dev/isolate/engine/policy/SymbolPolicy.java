package dev.isolate.engine.policy;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.Elf64Sym;
import dev.isolate.engine.elf.Verdef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which dynamic symbols are renamed. Renamed: defined GLOBAL, WEAK and GNU_UNIQUE symbols with
 * DEFAULT or PROTECTED visibility, of any type. Kept, in this order of precedence: undefined imports (weak
 * ones are hooks others may define), version-definition markers, linker-reserved names, JNI entry points,
 * user excludes, and C runtime / libc names ({@link LibcExclusions}: a definition of one, weak or strong, is kept
 * and warned about, since renamed it would capture the library's own calls that libc's definition answers).
 */
public final class SymbolPolicy {
    /**
     * Names the static linker defines itself; renaming them breaks eu-elflint's bounds checks (st_value).
     * {@code __bss_start__}, {@code __bss_end__}, {@code _bss_end__} and {@code __end__} come from the ARM and
     * aarch64 GNU ld scripts.
     */
    static final Set<String> LINKER_RESERVED = Set.of("_init", "_fini", "_end", "_edata", "__bss_start", "_DYNAMIC",
            "_GLOBAL_OFFSET_TABLE_", "__end__", "__bss_start__", "__bss_end__", "_bss_end__", "_etext", "etext", "edata",
            "end", "__executable_start",
            "__init_array_start", "__init_array_end", "__fini_array_start", "__fini_array_end",
            "__preinit_array_start", "__preinit_array_end", "__GNU_EH_FRAME_HDR", "_PROCEDURE_LINKAGE_TABLE_",
            "_TLS_MODULE_BASE_");

    private final String prefix;
    private final GlobSet excludes;

    public SymbolPolicy(String prefix, List<String> excludes) {
        this.prefix = prefix;
        this.excludes = new GlobSet(excludes);
    }

    public static boolean isJniEntryPoint(String name) {
        return name.startsWith("Java_") || name.startsWith("JNI_OnLoad") || name.startsWith("JNI_OnUnload");
    }

    public Classification classify(ElfFile elf) {
        Set<String> verdefNames = new HashSet<>();
        for (Verdef d : elf.verdefs) {
            verdefNames.addAll(d.names());
        }
        List<Export> renamed = new ArrayList<>();
        List<Export> kept = new ArrayList<>();
        int imports = 0;
        int locals = 0;
        for (int i = 1; i < elf.syms.length; i++) {
            Elf64Sym s = elf.syms[i];
            int bind = s.bind();
            if (!s.isDefined()) {
                if (bind == STB_WEAK) {
                    kept.add(export(elf, i, elf.name(i), SkipReason.WEAK_UNDEFINED_HOOK, 0));
                } else {
                    imports++;
                }
                continue;
            }
            if (!s.visibleToLookup()) {
                locals++;
                continue;
            }
            String name = elf.name(i);
            if (name.isEmpty()) {
                locals++;
                continue;
            }
            SkipReason reason = null;
            int warnings = 0;
            if (s.st_shndx() == SHN_ABS && s.st_value() == 0 && verdefNames.contains(name)) {
                reason = SkipReason.VERSION_MARKER;
            } else if (LINKER_RESERVED.contains(name)) {
                reason = SkipReason.LINKER_RESERVED;
            } else if (isJniEntryPoint(name)) {
                reason = SkipReason.JNI_ENTRY_POINT;
            } else if (excludes.matches(name)) {
                reason = SkipReason.USER_EXCLUDED;
            } else if (LibcExclusions.matches(name)) {
                if (bind == STB_WEAK) {
                    reason = SkipReason.WEAK_OVERRIDE;
                    warnings = bit(WarningCategory.WEAK_OVERRIDE);
                } else {
                    reason = SkipReason.LIBC;
                    warnings = bit(WarningCategory.LIBC_DEFINITION);
                }
            }
            if (reason != null) {
                kept.add(export(elf, i, name, reason, warnings));
                continue;
            }
            int type = s.type();
            if (type == STT_OBJECT || type == STT_COMMON) {
                warnings = bit(WarningCategory.OBJECT_SYMBOL);
            } else if (type == STT_TLS) {
                warnings = bit(WarningCategory.TLS_SYMBOL);
            } else if (type == STT_GNU_IFUNC) {
                warnings = bit(WarningCategory.IFUNC_SYMBOL);
            }
            if (elf.versionName(i) != null) {
                warnings |= bit(WarningCategory.VERSIONED_SYMBOL);
            }
            renamed.add(export(elf, i, name, null, warnings));
        }
        return new Classification(List.copyOf(renamed), List.copyOf(kept), imports, locals);
    }

    private static int bit(WarningCategory c) {
        return 1 << c.ordinal();
    }

    /**
     * The warning lists, one per set of categories (by bit), shared by every export that has that set:
     * libLLVM has 45k exports and only a handful of different sets. Categories in declaration order,
     * the order the policy finds them in.
     */
    private static final List<WarningCategory>[] WARNING_LISTS = warningLists();

    @SuppressWarnings("unchecked")
    private static List<WarningCategory>[] warningLists() {
        WarningCategory[] all = WarningCategory.values();
        List<WarningCategory>[] lists = new List[1 << all.length];
        for (int bits = 0; bits < lists.length; bits++) {
            List<WarningCategory> l = new ArrayList<>();
            for (WarningCategory c : all) {
                if ((bits & bit(c)) != 0) {
                    l.add(c);
                }
            }
            lists[bits] = List.copyOf(l);
        }
        return lists;
    }

    private Export export(ElfFile elf, int i, String name, SkipReason reason, int warnings) {
        Elf64Sym s = elf.syms[i];
        return new Export(i, name, elf.versionName(i), !elf.isHiddenVersion(i), s.type(), s.bind(), s.visibility(),
                s.isDefined(), reason == null ? prefix.concat(name) : name, reason, WARNING_LISTS[warnings]);
    }
}
