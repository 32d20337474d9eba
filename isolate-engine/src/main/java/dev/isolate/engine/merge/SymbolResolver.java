package dev.isolate.engine.merge;

import static dev.isolate.engine.elf.Elf.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, for each symbol a member's relocation names, what ld.so would have bound it to among the members:
 * the same answer as its lookup in the TARGET's local scope (TARGET, then its DT_NEEDED breadth first), minus
 * everything outside that scope. A versioned reference ({@code name@V} required of file F) binds to F's
 * definition of {@code name@V}; an unversioned one to the first default definition in scope order; a
 * symbol a member defines and cannot be preempted (local, hidden, protected) to itself. What no member
 * defines stays an import of the merged file, with its version.
 */
final class SymbolResolver {
    /** A definition: symbol {@code sym} of {@code member}. */
    record Def(Member member, int sym) {
        long value() {
            var s = member.elf.syms[sym];
            return s.st_shndx() == SHN_ABS || s.type() == STT_TLS ? s.st_value() : member.rebase(s.st_value());
        }

        int type() {
            return member.elf.syms[sym].type();
        }

        String name() {
            return member.elf.name(sym);
        }

        String version() {
            return member.elf.versionName(sym);
        }
    }

    /** Members in scope order: TARGET, then breadth first along DT_NEEDED, then any not reached, in input order. */
    final List<Member> scope;
    private final Map<String, Member> byName = new HashMap<>();
    private final Map<String, List<Def>> defs = new HashMap<>();

    SymbolResolver(List<Member> members) {
        for (Member m : members) {
            byName.putIfAbsent(m.name, m);
            byName.putIfAbsent(m.path.getFileName().toString(), m);
        }
        this.scope = scopeOrder(members);
        for (Member m : scope) {
            for (int i = 1; i < m.elf.syms.length; i++) {
                if (m.exports(i)) {
                    defs.computeIfAbsent(m.elf.name(i), k -> new ArrayList<>(1)).add(new Def(m, i));
                }
            }
        }
    }

    private List<Member> scopeOrder(List<Member> members) {
        LinkedHashMap<Member, Boolean> seen = new LinkedHashMap<>();
        Deque<Member> queue = new ArrayDeque<>();
        queue.add(members.get(0));
        seen.put(members.get(0), true);
        while (!queue.isEmpty()) {
            for (String n : queue.poll().elf.needed) {
                Member d = byName.get(n);
                if (d != null && seen.putIfAbsent(d, true) == null) {
                    queue.add(d);
                }
            }
        }
        for (Member m : members) {
            seen.putIfAbsent(m, true);
        }
        return List.copyOf(seen.keySet());
    }

    /** The member a DT_NEEDED or vn_file name means, or null when it stays outside. */
    Member member(String neededName) {
        return byName.get(neededName);
    }

    /** Every definition of {@code name}, in scope order (empty when none). */
    List<Def> definitions(String name) {
        return defs.getOrDefault(name, List.of());
    }

    /**
     * What symbol {@code sym} of {@code from} binds to among the members, or null when it stays an import.
     * Refuses a versioned reference to a member that does not define that version (ld.so would refuse it too).
     */
    Def resolve(Member from, int sym, Member.Rela r) {
        var s = from.elf.syms[sym];
        if (s.isDefined() && (s.bind() == STB_LOCAL || s.visibility() != STV_DEFAULT)) {
            return new Def(from, sym); // not preemptible: ld bound it to itself already, ld.so does too
        }
        String name = from.elf.name(sym);
        String version = from.elf.versionName(sym);
        if (!s.isDefined() && version != null) {
            String file = from.elf.requiredFile(sym);
            Member owner = file == null ? null : byName.get(file);
            if (owner == null) {
                return null; // required of a library that stays outside
            }
            for (Def d : definitions(name)) {
                if (d.member() == owner && (version.equals(d.version()) || owner.elf.versions == null)) {
                    return d;
                }
            }
            throw from.error("Elf64_Rela.r_info", r.at(), "needs '" + name + "@" + version + "' of " + file
                    + ", which that member does not define");
        }
        for (Def d : definitions(name)) {
            boolean hidden = d.member().elf.isHiddenVersion(d.sym());
            if (version != null ? version.equals(d.version()) || d.version() == null : !hidden) {
                return d;
            }
        }
        return s.isDefined() ? new Def(from, sym) : null;
    }
}
