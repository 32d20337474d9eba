package dev.isolate.loader;

import java.nio.file.Path;

/**
 * Loaded by ClassLoaderTest's own class loader together with its own {@link Glue}, while {@link NativeLoader} stays
 * in the application class loader: the layout of an application server or a plugin system.
 */
public final class GlueCaller {
    private GlueCaller() {}

    /** The loader's own {@code System.load}: the libraries belong to NativeLoader's class loader, not to Glue's. */
    public static int loadThenCall(ClassLoader bundle, Path base) {
        NativeLoader.builder().classLoader(bundle).extractTo(base).load("glue");
        return Glue.mul(6, 7);
    }

    /** {@code System::load} from this class: the libraries belong to this class's loader, which is Glue's. */
    public static int loadWithThenCall(ClassLoader bundle, Path base) {
        NativeLoader.builder().classLoader(bundle).extractTo(base).loadWith(System::load).load("glue");
        return Glue.mul(6, 7);
    }
}
