package dev.isolate.engine.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for reports and manifests: maps keep insertion order, strings are escaped per
 * RFC 8259 (everything outside printable ASCII as {@code \}{@code uXXXX}, so the output is ASCII). A
 * map whose values are all scalars goes on one line, so a manifest has one line per symbol. Writes
 * to any {@link Appendable}, so a large manifest streams instead of being built as one string; lists
 * may be lazy views.
 */
public final class Json {
    private Json() {}

    /**
     * An object written like a map of {@code keys()} to {@code value(i)}, without building one: the
     * per-symbol records of a manifest are views of the symbols. Written on one line when every value
     * is a scalar, like a flat map.
     */
    public interface Fields {
        List<String> keys();

        Object value(int i);

        /**
         * Every string value holds one char per byte (names read from an ELF string table), so a
         * {@link ByteText} may copy it without asking for each char.
         */
        default boolean oneCharPerByte() {
            return false;
        }
    }

    /**
     * {@code names} as a list whose strings hold one char per byte (names read from an ELF string
     * table), so a {@link ByteText} may copy each without asking for each char. A view.
     */
    public static List<String> oneCharPerByte(List<String> names) {
        return new ByteStrings(names);
    }

    private static final class ByteStrings extends java.util.AbstractList<String> {
        private final List<String> names;

        ByteStrings(List<String> names) {
            this.names = names;
        }

        @Override
        public String get(int i) {
            return names.get(i);
        }

        @Override
        public int size() {
            return names.size();
        }
    }

    /** Text of one char per byte that can take a string of such chars in one copy. */
    public interface ByteText extends Appendable {
        /**
         * Appends {@code s} (one char per byte) unless one of its bytes is flagged in {@code flagged}
         * (256 entries): then appends nothing and returns false.
         */
        boolean appendUnlessAny(String s, boolean[] flagged) throws IOException;
    }

    /** The bytes a JSON string does not hold as they are: controls, quote, backslash, beyond ASCII. */
    private static final boolean[] NOT_PLAIN = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            NOT_PLAIN[c] = !isPlain((char) c);
        }
    }

    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    /** Writes {@code v} and a final newline. */
    public static void write(Appendable out, Object v) {
        try {
            new Writer(out).value(v, 0);
            out.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One write: asks each object's fields for their values once, and writes a flat object's
     * {@code "key": } with the separator before it as one string, made once per key list (a
     * manifest's 45k symbol records share three).
     */
    private static final class Writer {
        private final Appendable sb;
        private final ByteText bytes;
        /** The values of the object being written at each depth, reused. */
        private Object[][] values = new Object[8][];
        private final Map<List<String>, String[]> flatPrefixes = new IdentityHashMap<>();

        Writer(Appendable sb) {
            this.sb = sb;
            this.bytes = sb instanceof ByteText b ? b : null;
        }

        void value(Object v, int indent) throws IOException {
            if (v instanceof Map<?, ?> m) {
                List<String> keys = new ArrayList<>(m.size());
                List<Object> values = new ArrayList<>(m.values());
                for (Object k : m.keySet()) {
                    keys.add(String.valueOf(k));
                }
                fields(new Fields() {
                    @Override
                    public List<String> keys() {
                        return keys;
                    }

                    @Override
                    public Object value(int i) {
                        return values.get(i);
                    }
                }, indent);
            } else if (v instanceof Fields f) {
                fields(f, indent);
            } else if (v instanceof List<?> l) {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append("[\n");
                ByteText b = l instanceof ByteStrings ? bytes : null;
                for (int i = 0; i < l.size(); i++) {
                    pad(sb, indent + 1);
                    Object e = l.get(i);
                    if (b != null && e instanceof String s) {
                        quoted(b, s);
                    } else {
                        value(e, indent + 1);
                    }
                    sb.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                pad(sb, indent);
                sb.append(']');
            } else {
                scalar(sb, v);
            }
        }

        private void fields(Fields f, int indent) throws IOException {
            List<String> keys = f.keys();
            int n = keys.size();
            if (n == 0) {
                sb.append("{}");
                return;
            }
            Object[] v = buffer(indent, n);
            boolean flat = true;
            for (int i = 0; i < n; i++) {
                v[i] = f.value(i);
                flat &= isScalar(v[i]);
            }
            if (flat) {
                String[] prefix = flatPrefixes.computeIfAbsent(keys, Writer::flatPrefixes);
                ByteText b = f.oneCharPerByte() ? bytes : null;
                for (int i = 0; i < n; i++) {
                    sb.append(prefix[i]);
                    if (b != null && v[i] instanceof String s) {
                        quoted(b, s);
                    } else {
                        scalar(sb, v[i]);
                    }
                }
                sb.append('}');
                return;
            }
            sb.append("{\n");
            for (int i = 0; i < n; i++) {
                pad(sb, indent + 1);
                string(sb, keys.get(i));
                sb.append(": ");
                value(v[i], indent + 1);
                sb.append(i + 1 == n ? "\n" : ",\n");
            }
            pad(sb, indent);
            sb.append('}');
        }

        /** {@code s} (one char per byte) as a JSON string, by the byte path. */
        private static void quoted(ByteText b, String s) throws IOException {
            b.append('"');
            if (!b.appendUnlessAny(s, NOT_PLAIN)) {
                escaped(b, s);
            }
            b.append('"');
        }

        private Object[] buffer(int depth, int n) {
            if (depth >= values.length) {
                values = java.util.Arrays.copyOf(values, depth * 2);
            }
            if (values[depth] == null || values[depth].length < n) {
                values[depth] = new Object[n];
            }
            return values[depth];
        }

        /** {@code {"k0": }, then {@code , "k1": } and so on. */
        private static String[] flatPrefixes(List<String> keys) {
            String[] p = new String[keys.size()];
            for (int i = 0; i < p.length; i++) {
                StringBuilder b = new StringBuilder(i == 0 ? "{" : ", ");
                try {
                    string(b, keys.get(i));
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // a StringBuilder does not throw
                }
                p[i] = b.append(": ").toString();
            }
            return p;
        }
    }

    private static void scalar(Appendable sb, Object v) throws IOException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Number) {
            sb.append(v.toString());
        } else {
            string(sb, v.toString());
        }
    }

    /**
     * The common scalars first: String and Boolean are final classes, checked by one compare, while
     * each interface check (Map, List, Fields) walks the class's list of supertypes, and did so for every
     * field of 45k records.
     */
    private static boolean isScalar(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer) {
            return true;
        }
        return !(v instanceof Map<?, ?>) && !(v instanceof List<?>) && !(v instanceof Fields);
    }

    /** Printable ASCII without quote or backslash: written as it is (nearly every symbol name). */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isPlain(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
    }

    private static final String[] PADS = {"", "  ", "    ", "      ", "        "};

    private static void pad(Appendable sb, int indent) throws IOException {
        if (indent < PADS.length) {
            sb.append(PADS[indent]);
            return;
        }
        for (int i = 0; i < indent; i++) {
            sb.append("  ");
        }
    }

    private static void string(Appendable sb, String s) throws IOException {
        sb.append('"');
        if (isPlain(s)) {
            sb.append(s).append('"');
            return;
        }
        escaped(sb, s);
        sb.append('"');
    }

    /** The inside of a JSON string, escaped. */
    private static void escaped(Appendable sb, String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
