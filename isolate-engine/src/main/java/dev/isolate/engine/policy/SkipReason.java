package dev.isolate.engine.policy;

/** Why a symbol keeps its name. */
public enum SkipReason {
    WEAK_UNDEFINED_HOOK("weak undefined hook: an optional callback others may define"),
    VERSION_MARKER("version definition marker (ABS symbol named like a Verdef)"),
    LINKER_RESERVED("linker-reserved name"),
    JNI_ENTRY_POINT("JNI entry point: the JVM looks it up by name"),
    LIBC("definition of a C runtime / libc name: libc's wins, as in the original"),
    WEAK_OVERRIDE("weak definition of a C runtime / libc name: libc's wins, as in the original"),
    USER_EXCLUDED("excluded by --exclude");

    private final String text;

    SkipReason(String text) {
        this.text = text;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String text() {
        return text;
    }
}
