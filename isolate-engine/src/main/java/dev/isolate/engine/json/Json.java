package dev.isolate.engine.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
    }

    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    /** Writes {@code v} and a final newline. */
    public static void write(Appendable out, Object v) {
        try {
            value(out, v, 0);
            out.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void value(Appendable sb, Object v, int indent) throws IOException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v.toString());
        } else if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>(m.size());
            List<Object> values = new ArrayList<>(m.values());
            for (Object k : m.keySet()) {
                keys.add(String.valueOf(k));
            }
            fields(sb, new Fields() {
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
            fields(sb, f, indent);
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                pad(sb, indent + 1);
                value(sb, l.get(i), indent + 1);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static void fields(Appendable sb, Fields f, int indent) throws IOException {
        List<String> keys = f.keys();
        boolean flat = true;
        for (int i = 0; i < keys.size(); i++) {
            flat &= isScalar(f.value(i));
        }
        if (keys.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append(flat ? "{" : "{\n");
        for (int i = 0; i < keys.size(); i++) {
            if (!flat) {
                pad(sb, indent + 1);
            }
            string(sb, keys.get(i));
            sb.append(": ");
            value(sb, f.value(i), indent + 1);
            boolean last = i + 1 == keys.size();
            sb.append(last ? (flat ? "" : "\n") : (flat ? ", " : ",\n"));
        }
        if (!flat) {
            pad(sb, indent);
        }
        sb.append('}');
    }

    private static boolean isScalar(Object v) {
        return !(v instanceof Map<?, ?>) && !(v instanceof List<?>) && !(v instanceof Fields);
    }

    /** Printable ASCII without quote or backslash: written as it is (nearly every symbol name). */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void pad(Appendable sb, int indent) throws IOException {
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
        sb.append('"');
    }
}
