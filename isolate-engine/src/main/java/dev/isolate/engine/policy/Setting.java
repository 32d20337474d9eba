package dev.isolate.engine.policy;

/**
 * A setting of a request that a user can change to get past an {@link IsolateException}. The engine names
 * settings, not command-line flags: each front end spells them its own way ({@code --soname} on the
 * command line, {@code <sonames>} in a POM), through {@link IsolateException#message}.
 */
public enum Setting {
    /** The prefix of the new names ({@code --prefix}). */
    PREFIX,
    /** The new SONAME of a library ({@code --soname}). */
    SONAME,
    /** The link name of the consumer artifacts ({@code --name}). */
    LINK_NAME,
    /** The globs of exports to keep ({@code --exclude}). */
    EXCLUDE,
    /** Warnings are errors ({@code --werror}). */
    WERROR,
    /** A warning category permitted under WERROR ({@code --allow-CATEGORY}); takes the category. */
    ALLOW,
    /** A name a merged file exports besides the JNI entry points ({@code --keep}, merge only). */
    KEEP;

    /** The command line's spelling. */
    public String flag(String argument) {
        return switch (this) {
            case PREFIX -> "--prefix";
            case SONAME -> "--soname";
            case LINK_NAME -> "--name";
            case EXCLUDE -> "--exclude";
            case WERROR -> "--werror";
            case ALLOW -> "--allow-" + argument;
            case KEEP -> "--keep";
        };
    }

    /** {@code {SONAME}} or {@code {ALLOW:tls-symbol}}: where a setting stands in a message template. */
    public String token(String argument) {
        return "{" + name() + (argument == null ? "" : ":" + argument) + "}";
    }

    public String token() {
        return token(null);
    }
}
