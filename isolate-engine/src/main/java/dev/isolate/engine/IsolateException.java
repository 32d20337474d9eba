package dev.isolate.engine;

import dev.isolate.engine.elf.OneLine;
import dev.isolate.engine.policy.Setting;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A request that cannot be satisfied: a policy violated under {@code --werror}, a name collision, a bad
 * option. Malformed input raises {@link dev.isolate.engine.elf.ElfFormatException} instead.
 *
 * <p>The message may name the {@link Setting}s that would fix it, as tokens ({@code {SONAME}},
 * {@code {ALLOW:tls-symbol}}): {@link #getMessage} spells them as command-line flags, and
 * {@link #message} as a front end chooses (a POM element for the Maven plugin).
 */
public final class IsolateException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern TOKEN = Pattern.compile("\\{(" + Arrays.stream(Setting.values()).map(Setting::name)
            .collect(Collectors.joining("|")) + ")(?::([^}]*))?}");

    private final String template;

    public IsolateException(String template) {
        super(render(template, Setting::flag));
        this.template = template;
    }

    public IsolateException(String template, Throwable cause) {
        super(render(template, Setting::flag), cause);
        this.template = template;
    }

    /** The message with each setting spelled by {@code spell(setting, argument)} (argument null unless ALLOW). */
    public String message(BiFunction<Setting, String, String> spell) {
        return render(template, spell);
    }

    private static String render(String template, BiFunction<Setting, String, String> spell) {
        Matcher m = TOKEN.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(spell.apply(Setting.valueOf(m.group(1)), m.group(2))));
        }
        m.appendTail(sb);
        return OneLine.escape(sb.toString());
    }
}
