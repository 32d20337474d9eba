package dev.isolate.maven.core;

/** Something the user must fix (an input, a configuration): the Mojo turns it into a build failure. */
public final class IsolateBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IsolateBuildException(String message) {
        super(message);
    }
}
