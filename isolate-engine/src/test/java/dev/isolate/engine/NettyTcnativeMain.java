package dev.isolate.engine;

/**
 * Run in a child JVM by {@link NettyTcnativeTest}: {@code System.load(args[0])}, a netty-tcnative library under a
 * shaded file name, then {@code SSL.versionString()} of the relocated classes ({@code args[1]}), a native that
 * JNI_OnLoad registered. Netty's JNI_OnLoad derives the package of its classes from the file name, and with a
 * prefix {@code __strdup}s it: a copy bound to its own {@code __strdup} fallback never returns from System.load.
 */
public final class NettyTcnativeMain {
    private NettyTcnativeMain() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        System.out.println("loading " + args[0]);
        System.load(args[0]);
        System.out.println("loaded; " + args[1] + ".versionString() = "
                + Class.forName(args[1]).getMethod("versionString").invoke(null));
    }
}
