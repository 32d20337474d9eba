package dev.isolate.engine.policy;

import java.util.Arrays;
import java.util.List;

/**
 * Many globs (and exact names) matched at once, as one matcher. Each pattern is split at its first
 * wildcard into a literal prefix and the rest; the prefixes form a trie. A name walks the trie once,
 * character by character, and only the patterns whose literal prefix it starts with try their rest
 * on what follows it; the rest is compiled to the cheapest test that decides it (nothing left, "*",
 * "*suffix", or a {@link Glob} for anything else).
 *
 * <p>Why: libLLVM has 45k exports, nearly all C++ names starting with {@code _Z}, and the C runtime
 * list has 22 globs starting with {@code _}. Tried one by one, that is a million glob matches; here a
 * {@code _Z...} name leaves the trie at its second character.
 */
public final class GlobSet {
    /** What a pattern asks of the part of the name after its literal prefix. */
    private sealed interface Rest {
        boolean matches(String name, int from);
    }

    /** The literal prefix was the whole pattern. */
    private record End() implements Rest {
        public boolean matches(String name, int from) {
            return from == name.length();
        }
    }

    /** {@code *}: anything. */
    private record Any() implements Rest {
        public boolean matches(String name, int from) {
            return true;
        }
    }

    /** {@code *suffix}, the suffix literal. */
    private record Suffix(String suffix) implements Rest {
        public boolean matches(String name, int from) {
            return name.length() - from >= suffix.length() && name.endsWith(suffix);
        }
    }

    /** Anything else, such as {@code ?x*y}. */
    private record General(Glob glob) implements Rest {
        public boolean matches(String name, int from) {
            return glob.matches(name, from);
        }
    }

    private static final class Node {
        char[] keys = new char[0];
        Node[] next = new Node[0];
        Rest[] rests = new Rest[0]; // patterns whose literal prefix ends here

        Node child(char c) {
            char[] k = keys;
            for (int i = 0; i < k.length; i++) {
                if (k[i] == c) {
                    return next[i];
                }
            }
            return null;
        }

        Node childOrNew(char c) {
            Node n = child(c);
            if (n == null) {
                n = new Node();
                keys = Arrays.copyOf(keys, keys.length + 1);
                next = Arrays.copyOf(next, next.length + 1);
                keys[keys.length - 1] = c;
                next[next.length - 1] = n;
            }
            return n;
        }
    }

    private final Node root = new Node();

    /**
     * @param globs patterns: {@code *} any run, {@code ?} one character, everything else literal
     * @param names exact names ({@code *} and {@code ?} in them are literal)
     */
    public GlobSet(List<String> globs, List<String> names) {
        for (String g : globs) {
            int w = firstWildcard(g);
            add(g.substring(0, w), rest(g.substring(w)));
        }
        for (String n : names) {
            add(n, new End());
        }
    }

    public GlobSet(List<String> globs) {
        this(globs, List.of());
    }

    private void add(String literal, Rest rest) {
        Node n = root;
        for (int i = 0; i < literal.length(); i++) {
            n = n.childOrNew(literal.charAt(i));
        }
        n.rests = Arrays.copyOf(n.rests, n.rests.length + 1);
        n.rests[n.rests.length - 1] = rest;
    }

    private static int firstWildcard(String g) {
        for (int i = 0; i < g.length(); i++) {
            if (g.charAt(i) == '*' || g.charAt(i) == '?') {
                return i;
            }
        }
        return g.length();
    }

    private static Rest rest(String r) {
        if (r.isEmpty()) {
            return new End();
        }
        if (r.chars().allMatch(c -> c == '*')) {
            return new Any();
        }
        if (r.charAt(0) == '*' && firstWildcard(r.substring(1)) == r.length() - 1) {
            return new Suffix(r.substring(1));
        }
        return new General(new Glob(r));
    }

    /** True when {@code name} matches one of the globs or equals one of the names. */
    public boolean matches(String name) {
        Node n = root;
        for (int i = 0; ; i++) {
            for (Rest r : n.rests) {
                if (r.matches(name, i)) {
                    return true;
                }
            }
            if (i == name.length() || (n = n.child(name.charAt(i))) == null) {
                return false;
            }
        }
    }
}
