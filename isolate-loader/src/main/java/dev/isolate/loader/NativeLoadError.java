package dev.isolate.loader;

/**
 * Why a bundled native library could not be loaded, in one line: the platform, the resource, the directory, the
 * property to set. An {@link UnsatisfiedLinkError}, so code that already handles a failed
 * {@code System.loadLibrary} handles this too.
 */
public final class NativeLoadError extends UnsatisfiedLinkError {
    private static final long serialVersionUID = 1L;

    public NativeLoadError(String message) {
        super(message);
    }

    NativeLoadError(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
