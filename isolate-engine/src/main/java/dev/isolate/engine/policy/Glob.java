package dev.isolate.engine.policy;

/** Shell-style glob over symbol names: {@code *} any run, {@code ?} one character, everything else literal. */
public final class Glob {
    private final String pattern;

    public Glob(String pattern) {
        this.pattern = pattern;
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String s) {
        return matches(s, 0);
    }

    /** Whether {@code s} from index {@code from} on (not a copy of it) matches. */
    public boolean matches(String s, int from) {
        // Iterative matcher with single backtrack point: linear for the patterns users write.
        int p = 0, i = from, star = -1, mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(i))) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
