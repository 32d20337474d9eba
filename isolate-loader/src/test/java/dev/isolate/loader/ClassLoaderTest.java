package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JVM looks a native method up only in the libraries loaded by its class's loader, and binds a library to the
 * loader of the class that called {@code System.load}. With NativeLoader in a parent class loader and the native
 * class in a child, the loader's own {@code System.load} leaves the method unlinked; {@code loadWith(System::load)}
 * from the child links it. (docs/loader.md, "Class loaders".)
 */
class ClassLoaderTest {
    /** Defines {@link Glue} and {@link GlueCaller} itself; everything else, NativeLoader included, comes from the parent. */
    static final class ChildFirst extends ClassLoader {
        static final Set<String> OWN = Set.of(Glue.class.getName(), GlueCaller.class.getName());

        ChildFirst() {
            super("child-first", ClassLoaderTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!OWN.contains(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return c;
            }
        }
    }

    static int call(String method, Path base) throws Throwable {
        Class<?> caller = new ChildFirst().loadClass(GlueCaller.class.getName());
        assertNotSame(GlueCaller.class, caller);
        Method m = caller.getMethod(method, ClassLoader.class, Path.class);
        try {
            return (Integer) m.invoke(null, BundleFixture.classLoader(BundleFixture.jar("cl-jar")), base);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void theLoadersOwnSystemLoadDoesNotLinkAChildLoadersNativeMethod() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> call("loadThenCall", Tools.freshWork("cl-default")));
        assertTrue(e.getMessage().contains("dev.isolate.loader.Glue.mul(int, int)"), e.getMessage());
    }

    @Test
    void loadWithSystemLoadFromTheChildLinksIt() throws Throwable {
        assertEquals(42, call("loadWithThenCall", Tools.freshWork("cl-loadwith")));
    }
}
