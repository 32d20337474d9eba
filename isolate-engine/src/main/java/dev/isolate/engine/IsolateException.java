package dev.isolate.engine;

/**
 * A request that cannot be satisfied: a policy violated under {@code --werror}, a name collision, a bad
 * option. Malformed input raises {@link dev.isolate.engine.elf.ElfFormatException} instead.
 */
public final class IsolateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IsolateException(String message) {
        super(message);
    }

    public IsolateException(String message, Throwable cause) {
        super(message, cause);
    }
}
