package dev.isolate.it;

import dev.isolate.loader.NativeLibrary;
import dev.isolate.loader.NativeLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Uses one published JNI jar through its own Java API, with its own copy of the library ("original": the jar's
 * loader extracts and loads it) or with the copy the isolate plugin bundled ("isolated": loaded by isolate-loader,
 * then the jar's loader pointed at it by the recipe of docs/jni-jars.md, in the same words). Prints "ok ..." when
 * the API worked, then every file the process has mapped outside the JDK, so the caller sees which copy ran.
 */
public final class RealJars {
    public static void main(String[] args) throws Exception {
        String jar = args[0];
        boolean isolated = args[1].equals("isolated");
        byte[] data = ("isolate " + "native library clash ".repeat(200)).getBytes(StandardCharsets.UTF_8);
        switch (jar) {
            case "zstd" -> {
                if (isolated) {
                    NativeLoader.load("zstd-jni");
                    com.github.luben.zstd.util.Native.assumeLoaded(); // zstd-jni then loads nothing itself
                }
                byte[] c = com.github.luben.zstd.Zstd.compress(data, 3);
                byte[] d = com.github.luben.zstd.Zstd.decompress(c, data.length);
                check(Arrays.equals(data, d), "zstd round trip");
                System.out.println("ok zstd " + data.length + " -> " + c.length);
            }
            case "snappy" -> {
                if (isolated) {
                    NativeLibrary lib = NativeLoader.load("snappyjava");
                    System.setProperty("org.xerial.snappy.lib.path", lib.path().getParent().toString());
                    System.setProperty("org.xerial.snappy.lib.name", lib.path().getFileName().toString());
                }
                byte[] c = org.xerial.snappy.Snappy.compress(data);
                check(Arrays.equals(data, org.xerial.snappy.Snappy.uncompress(c)), "snappy round trip");
                System.out.println("ok snappy " + data.length + " -> " + c.length);
            }
            case "lz4" -> {
                if (isolated) {
                    // -Djava.library.path=DIR -Disolate.native.from=DIR: lz4-java's System.loadLibrary("lz4-java")
                    // finds the same file, already loaded.
                    NativeLoader.load("lz4-java");
                }
                net.jpountz.lz4.LZ4Factory f = net.jpountz.lz4.LZ4Factory.nativeInstance();
                byte[] c = f.highCompressor().compress(data);
                check(Arrays.equals(data, f.safeDecompressor().decompress(c, data.length)), "lz4 round trip");
                byte[] fast = f.fastCompressor().compress(data);
                check(Arrays.equals(data, f.fastDecompressor().decompress(fast, data.length)), "lz4 fast round trip");
                System.out.println("ok lz4 " + f + " " + data.length + " -> " + c.length);
            }
            case "sqlite" -> {
                if (isolated) {
                    NativeLibrary lib = NativeLoader.load("sqlitejdbc");
                    System.setProperty("org.sqlite.lib.path", lib.path().getParent().toString());
                    System.setProperty("org.sqlite.lib.name", lib.path().getFileName().toString());
                }
                try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement()) {
                    s.execute("create table t(x)");
                    s.execute("insert into t values (6), (7)");
                    try (ResultSet r = s.executeQuery("select sqlite_version(), (select x from t where x = 6) * (select x from t where x = 7)")) {
                        check(r.next() && r.getInt(2) == 42, "sqlite query");
                        System.out.println("ok sqlite " + r.getString(1) + " " + r.getInt(2));
                    }
                }
            }
            case "jffi" -> {
                if (isolated) {
                    NativeLibrary lib = NativeLoader.load("jffi");
                    System.setProperty("jffi.boot.library.path", lib.path().getParent().toString());
                }
                com.kenai.jffi.Library libc = com.kenai.jffi.Library.getCachedInstance("libc.so.6", com.kenai.jffi.Library.NOW);
                com.kenai.jffi.Function abs = new com.kenai.jffi.Function(libc.getSymbolAddress("labs"),
                        com.kenai.jffi.Type.SLONG, com.kenai.jffi.Type.SLONG);
                com.kenai.jffi.HeapInvocationBuffer b = new com.kenai.jffi.HeapInvocationBuffer(abs);
                b.putLong(-42);
                long r = com.kenai.jffi.Invoker.getInstance().invokeLong(abs, b);
                check(r == 42, "jffi labs(-42) = " + r);
                System.out.println("ok jffi labs(-42) = " + r);
            }
            case "jna" -> {
                if (isolated) {
                    NativeLibrary lib = NativeLoader.load("jnidispatch");
                    System.setProperty("jna.boot.library.path", lib.path().getParent().toString());
                    System.setProperty("jna.nosys", "true");
                }
                com.sun.jna.Function labs = com.sun.jna.NativeLibrary.getInstance("c").getFunction("labs");
                long r = (Long) labs.invoke(Long.class, new Object[] {-42L});
                check(r == 42, "jna labs(-42) = " + r);
                System.out.println("ok jna " + com.sun.jna.Native.VERSION_NATIVE + " labs(-42) = " + r);
            }
            case "netty" -> {
                if (isolated) {
                    NativeLoader.load("netty_tcnative_linux_x86_64");
                } else {
                    // What netty's own NativeLibraryLoader does: extract META-INF/native/lib<name>.so, System.load it.
                    Path tmp = Files.createTempFile("libnetty_tcnative_linux_x86_64", ".so");
                    try (var in = RealJars.class.getResourceAsStream("/META-INF/native/libnetty_tcnative_linux_x86_64.so")) {
                        Files.write(tmp, in.readAllBytes());
                    }
                    System.load(tmp.toString());
                }
                check(io.netty.internal.tcnative.Library.initialize("provided", null), "tcnative initialize");
                System.out.println("ok netty " + io.netty.internal.tcnative.SSL.versionString());
            }
            case "rocksdb" -> {
                if (isolated) {
                    // -Djava.library.path=DIR -Disolate.native.from=DIR: RocksDB's System.loadLibrary("rocksdbjni-linux64")
                    // finds the same file, already loaded. (RocksDB.loadLibrary(List) looks for librocksdbjnijni-linux64.so.)
                    NativeLoader.load("rocksdbjni-linux64");
                }
                org.rocksdb.RocksDB.loadLibrary();
                Path dir = Files.createTempDirectory("rocks");
                try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true)
                        .setCompressionType(org.rocksdb.CompressionType.ZSTD_COMPRESSION);
                     org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, dir.toString())) {
                    db.put("k".getBytes(), data);
                    db.flush(new org.rocksdb.FlushOptions().setWaitForFlush(true));
                    check(Arrays.equals(data, db.get("k".getBytes())), "rocksdb get");
                }
                System.out.println("ok rocksdb " + org.rocksdb.RocksDB.rocksdbVersion());
            }
            default -> throw new IllegalArgumentException(jar);
        }
        // Which copy is mapped: the isolated one (in the isolate cache or the unpacked directory) or the original.
        // Every file outside the JDK; the caller picks the library's (JNA's own copy is ~/.cache/JNA/temp/jna*.tmp).
        TreeSet<String> mapped = new TreeSet<>();
        String jdk = Path.of(System.getProperty("java.home")).toRealPath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && !line.startsWith(jdk, slash)) {
                mapped.add(line.substring(slash));
            }
        }
        mapped.forEach(m -> System.out.println("mapped " + m));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + " failed");
        }
    }
}
