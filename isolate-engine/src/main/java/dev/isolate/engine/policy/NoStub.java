package dev.isolate.engine.policy;

/** Why a renamed export gets no stub in the stub archive: consumers reach it through the redirect header only. */
public enum NoStub {
    DATA("data: a stub can only stand in for code; use the header"),
    TLS("thread-local data: a stub can only stand in for code; use the header"),
    NOT_CODE("not typed as code (STT_NOTYPE or other); use the header"),
    NON_DEFAULT_VERSION("non-default (hidden) version: a new link binds only to the default version of a name");

    private final String text;

    NoStub(String text) {
        this.text = text;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String text() {
        return text;
    }
}
