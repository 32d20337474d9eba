package dev.isolate.engine.elf;

/**
 * Messages quote names read from the input (SONAMEs, symbol and file names), and a name may hold any byte but
 * NUL: a newline in a SONAME must not turn a one-line refusal into three. Control characters are written as
 * escapes ({@code \n}, {@code \t}, {@code \x1b}); everything else is kept (a backslash too: messages spell
 * bytes such as {@code \x7fELF} themselves, and one line is the point, not a reversible encoding).
 */
public final class OneLine {
    private OneLine() {}

    public static String escape(String s) {
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}
