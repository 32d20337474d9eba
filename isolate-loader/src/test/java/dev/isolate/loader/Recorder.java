package dev.isolate.loader;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loader that records the paths it would {@code System.load}, with its own system properties and environment,
 * for the tests that check the loader's choices without loading into this JVM.
 */
final class Recorder {
    final List<String> loaded = new CopyOnWriteArrayList<>();
    final Map<String, String> props = new HashMap<>();
    final Map<String, String> env = new HashMap<>();

    NativeLoader.Builder builder(ClassLoader cl) {
        return NativeLoader.builder().classLoader(cl).loadWith(loaded::add).properties(props::get).environment(env::get);
    }
}
