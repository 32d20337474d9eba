package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code eu-elflint --gnu-ld}, normalised so that the messages about an input and its output compare. */
public final class Lint {
    private Lint() {}

    private static final Pattern SYMBOL = Pattern.compile("symbol \\d+ \\(([^)]*)\\)");

    public static List<String> messages(Path lib) {
        return messages(lib, null);
    }

    /**
     * The messages of {@code eu-elflint --gnu-ld lib}, sorted (a multiset): without the "No errors" line and
     * the file name, {@code symbol N (name)} as {@code symbol (name)}, and {@code prefix} removed from the
     * start of each such symbol name.
     */
    public static List<String> messages(Path lib, String prefix) {
        Tools.require("eu-elflint");
        Tools.Result r = Tools.runMerged("eu-elflint", "--gnu-ld", lib.toString());
        List<String> out = new ArrayList<>();
        String file = lib.toString();
        for (String line : r.out().split("\n")) {
            String m = line.strip();
            if (m.isEmpty() || m.equals("No errors")) {
                continue;
            }
            // eu-elflint names the file in front ("FILE: ..." or a "FILE:" header line) when it names it at all.
            m = m.replace(file + ":", "").replace(file, "").strip();
            if (m.isEmpty()) {
                continue;
            }
            Matcher mm = SYMBOL.matcher(m);
            StringBuilder sb = new StringBuilder();
            while (mm.find()) {
                String name = mm.group(1);
                if (prefix != null && !prefix.isEmpty() && name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                }
                mm.appendReplacement(sb, Matcher.quoteReplacement("symbol (" + name + ")"));
            }
            mm.appendTail(sb);
            out.add(sb.toString());
        }
        if (out.isEmpty() && r.exit() != 0) {
            fail("eu-elflint failed without a message: " + r.describe());
        }
        out.sort(null);
        return out;
    }

    /** Every normalised message about {@code output} also appears (as often) among those about {@code input}. */
    public static void assertNoNewMessages(Path input, Path output, String prefix) {
        List<String> in = messages(input, prefix);
        List<String> out = messages(output, prefix);
        Map<String, Integer> budget = new HashMap<>();
        for (String m : in) {
            budget.merge(m, 1, Integer::sum);
        }
        List<String> added = new ArrayList<>();
        for (String m : out) {
            Integer n = budget.get(m);
            if (n == null || n == 0) {
                added.add(m);
            } else {
                budget.put(m, n - 1);
            }
        }
        if (!added.isEmpty()) {
            fail("eu-elflint --gnu-ld reports " + added.size() + " message(s) about " + output + " that it does not report about "
                    + input + " (prefix '" + prefix + "' ignored):\n  " + String.join("\n  ", added.subList(0, Math.min(added.size(), 40)))
                    + (added.size() > 40 ? "\n  ... " + (added.size() - 40) + " more" : ""));
        }
    }
}
