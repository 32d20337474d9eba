package dev.isolate.engine.consumer;

import dev.isolate.engine.policy.ArtifactNames;
import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code <prefix>isolate_N.h}: {@code #define orig prefixed} for every renamed name that C source can
 * spell, sorted by bytes, inside an include guard. Included before the library's own headers, it
 * renames the declarations and every use, so the consumer links straight to the prefixed names: no
 * stub is pulled, and data and TLS exports (which no stub can stand in for) work too. Names C cannot
 * spell (C++ mangled names, names with other characters, keywords) are listed in a comment instead.
 */
final class RedirectHeader {
    private RedirectHeader() {}

    /** C11 keywords (and the C23 ones): a macro named like one would break every file that includes the header. */
    private static final Set<String> KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue", "default", "do",
            "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict",
            "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
            "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary",
            "_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof", "bool", "constexpr", "false", "nullptr",
            "static_assert", "thread_local", "true", "typeof", "typeof_unqual", "_BitInt", "_Decimal32", "_Decimal64",
            "_Decimal128");

    /** A name C source can spell and that is not a C++ mangled name ({@code _Z...}). */
    static boolean isDefinable(String name) {
        if (name.isEmpty() || name.startsWith("_Z") || KEYWORDS.contains(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    static String guard(ArtifactNames n) {
        String h = n.header().toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            sb.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return sb.toString();
    }

    static void write(Appendable out, Library lib) throws IOException {
        List<String> defined = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        Map<String, String> newNames = new HashMap<>();
        for (Export e : lib.classification().renamed()) {
            (isDefinable(e.name()) ? defined : listed).add(e.name());
            newNames.put(e.name(), e.newName());
        }
        ArtifactNames n = lib.artifacts();
        String guard = guard(n);
        String from = lib.oldSoname() != null ? lib.oldSoname() : lib.input().getFileName().toString();
        out.append("/* ").append(n.header()).append(": written by isolate for ");
        comment(out, lib.fileName());
        out.append(", the copy of ");
        comment(out, from);
        out.append(" isolated with the prefix ").append(lib.prefix()).append(".\n"
                + " * Include it before the library's own headers: each name below then means its prefixed\n"
                + " * twin, so calls and data references link straight to the isolated library and pull no\n"
                + " * stub (-l").append(n.name()).append(" then only adds the library). Data and thread-local exports work\n"
                + " * only this way. */\n");
        out.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n");
        for (String name : NameSort.sortedUnique(defined)) {
            out.append("#define ").append(name).append(' ').append(newNames.get(name)).append('\n');
        }
        List<String> other = NameSort.sortedUnique(listed);
        if (!other.isEmpty()) {
            out.append("\n/* Renamed to ").append(lib.prefix()).append("<name> as well, but not names C source can spell (C++ mangled\n"
                    + " * names and others), so not redirected here (").append(Integer.toString(other.size())).append("):\n");
            for (String name : other) {
                out.append(" *   ");
                if (!(out instanceof TextFile t && t.appendUnlessAny(name, COMMENT_UNSAFE))) {
                    comment(out, name);
                }
                out.append('\n');
            }
            out.append(" */\n");
        }
        out.append("\n#endif /* ").append(guard).append(" */\n");
    }

    /** The bytes {@link #comment} writes {@code \xNN}. */
    private static final boolean[] COMMENT_UNSAFE = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            COMMENT_UNSAFE[c] = isCommentUnsafe((char) c);
        }
    }

    /** Text inside a C comment: bytes that could end it or are not printable are written {@code \xNN}. */
    static void comment(Appendable out, String s) throws IOException {
        if (isCommentSafe(s)) {
            out.append(s);
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isCommentUnsafe(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
    }

    private static boolean isCommentSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isCommentUnsafe(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCommentUnsafe(char c) {
        return c < 0x20 || c >= 0x7f || c == '*' || c == '/' || c == '\\';
    }
}
