package dev.isolate.loader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A second JVM for ConcurrencyTest (plain main, no JUnit). {@code load NAME}: says "ready", waits for a line on
 * stdin so that several JVMs start loading together, loads NAME with the static {@link NativeLoader#load} (the
 * bundle jar on the class path, -Disolate.native.dir set by the test), calls the JNI function and prints what
 * happened. {@code direct PATH}: {@code System.load(PATH)} alone, to show what loading out of order does.
 */
public final class LoadMain {
    private LoadMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("direct")) {
            try {
                System.load(args[1]);
                System.out.println("loaded");
            } catch (UnsatisfiedLinkError e) {
                System.out.println("error=" + e.getMessage());
            }
            return;
        }
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        NativeLibrary lib = NativeLoader.load(args[1]);
        System.out.println("extracted=" + lib.extracted().size());
        System.out.println("path=" + lib.path());
        System.out.println("mul=" + Glue.mul(6, 7));
    }
}
