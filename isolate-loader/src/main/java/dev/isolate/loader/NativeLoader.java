package dev.isolate.loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Loads a library of an isolate bundle ({@code native/<platform>/isolate.index} and the libraries beside it, in a
 * jar or a class path directory): finds the bundle for this platform, extracts it into one content-addressed
 * directory, and {@code System.load}s the library's bundled dependencies in index order, then the library.
 *
 * <pre>{@code
 * static { NativeLoader.load("glue"); }   // libglue.so, by file name, soname or original name
 * NativeLoader.builder().extractTo(dir).load("glue");   // with options
 * }</pre>
 *
 * <p>Each file is loaded once per JVM (per copy of this class: see docs/loader.md on class loaders). The JVM binds
 * a library to the class loader of the class that called {@code System.load}, and looks {@code Java_*} functions up
 * only in libraries bound to the native method's class loader: when this class is not in the class loader of the
 * classes with native methods, pass {@link Builder#loadWith loadWith(System::load)} from one of them.
 *
 * <p>A bundle whose index says {@code mode segregate} (or any, with {@link Builder#segregate()}) is loaded
 * unmodified into a link-map namespace of its own instead ({@code dlmopen}; JDK 22+, glibc: docs/loader.md), and
 * the natives of the calling class (or of {@link Builder#natives}) are bound to it with {@code RegisterNatives}.
 *
 * <p>Every failure is a {@link NativeLoadError} (an {@link UnsatisfiedLinkError}) with one line saying what was
 * looked for, where, and which property changes it.
 */
public final class NativeLoader {
    /** {@code true}: load nothing, the application loads the libraries itself. */
    public static final String SKIP_PROPERTY = "isolate.native.skip";
    /** A directory holding the bundle's files already (unpacked by the application): load from it, extract nothing. */
    public static final String FROM_PROPERTY = "isolate.native.from";
    /** The base directory to extract bundles into. */
    public static final String DIR_PROPERTY = ExtractionDirs.PROPERTY;
    /** The base directory to extract bundles into, when {@link #DIR_PROPERTY} is not set. */
    public static final String DIR_ENV = ExtractionDirs.ENV;

    static final String ROOT = "native/";
    /** The {@link System.Logger} the loader logs to (java.util.logging's logger of that name, by default). */
    static final String LOGGER = "dev.isolate.loader";
    /** An index is a few lines per library; anything this large is not one. */
    private static final int MAX_INDEX = 1 << 20;
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Bundles checked or extracted in this JVM, by index hash and configuration: their directory. */
    private static final Map<String, Path> READY = new ConcurrentHashMap<>();
    /** Files this copy of the class has loaded. */
    private static final Set<Path> LOADED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private final ClassLoader classLoader;
    private final String platform;
    private final Path extractTo;
    private final Path fromDirectory;
    private final boolean skipLoad;
    private final Consumer<String> systemLoad;
    private final boolean segregate;
    private final List<Class<?>> natives;
    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    private NativeLoader(Builder b) {
        this.classLoader = b.classLoader;
        this.platform = b.platform;
        this.extractTo = b.extractTo;
        this.fromDirectory = b.fromDirectory;
        this.skipLoad = b.skipLoad;
        this.systemLoad = b.systemLoad;
        this.segregate = b.segregate;
        this.natives = b.natives;
        this.properties = b.properties;
        this.environment = b.environment;
    }

    /**
     * Loads {@code name} from the bundle visible to the caller's class loader, with the system properties and
     * environment deciding the rest.
     *
     * @param name a member's file name, soname or original name ({@code libglue.so}), or {@code glue} for
     *     {@code libglue.so}, {@code libglue.so.*} or, less preferred, {@code libglue-<version>.so} (version starting
     *     with a digit: {@code zstd-jni} finds {@code libzstd-jni-1.5.7-21.so})
     */
    public static NativeLibrary load(String name) {
        return new Builder(WALKER.getCallerClass()).load(name);
    }

    /** Options, starting from the caller's class loader (and the caller's natives, for a segregated bundle). */
    public static Builder builder() {
        return new Builder(WALKER.getCallerClass());
    }

    private NativeLibrary run(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new NativeLoadError("isolate-loader: '" + name + "' is not a library name: give a member's file name, soname or"
                    + " original name (libglue.so), or glue for libglue.so");
        }
        if (skipLoad || Boolean.parseBoolean(properties.apply(SKIP_PROPERTY))) {
            return new NativeLibrary(name, null, null, List.of(), null, List.of());
        }
        Target t = platform();
        String token = t.token();
        String context = "'" + name + "' for platform " + token + " (" + t.source() + ")";
        Path from = fromDirectory != null ? fromDirectory : extractTo != null ? null : pathProperty(FROM_PROPERTY);
        Choice c = choose(name, from == null ? indexes(token, context) : indexesFor(from, token, context), context);
        Path dir;
        List<Path> extracted = List.of();
        if (from != null) {
            dir = from.toAbsolutePath();
            String key = c.index.sha256 + "\0from\0" + dir + "\0" + c.member.file();
            synchronized (lock(key)) {
                if (!READY.containsKey(key)) {
                    checkPreExtracted(dir, c, context);
                    READY.put(key, dir);
                }
            }
        } else {
            List<ExtractionDirs.Candidate> candidates = ExtractionDirs.candidates(extractTo, properties, environment);
            String key = c.index.sha256 + "\0extract\0" + candidates;
            synchronized (lock(key)) {
                Path ready = READY.get(key);
                if (ready == null) {
                    Extractor.Outcome o = extract(c, candidates, token, context);
                    ready = o.directory();
                    extracted = o.extracted();
                    READY.put(key, ready);
                }
                dir = ready;
            }
        }
        List<Path> order = c.index.loadOrder(c.member).stream().map(m -> dir.resolve(m.file())).toList();
        if (segregate || c.index.mode.equals(NativeIndex.SEGREGATE)) {
            SegregateRequest r = new SegregateRequest(c.index.sha256 + "\0" + dir, c.index.resource, order, natives, context);
            if (Platform.current().endsWith("-musl")) {
                throw new NativeLoadError(r.musl());
            }
            Segregation.load(r);
            return new NativeLibrary(name, token, order.get(order.size() - 1), order, dir, extracted);
        }
        synchronized (lock("load\0" + dir)) {
            for (Path file : order) {
                if (!LOADED.contains(file)) {
                    systemLoad(file, c, context);
                    LOADED.add(file);
                }
            }
        }
        return new NativeLibrary(name, token, order.get(order.size() - 1), order, dir, extracted);
    }

    /** The platform token, and where it came from (for messages). */
    private record Target(String token, String source) {}

    private Target platform() {
        String token;
        String source;
        if (platform != null) {
            token = platform;
            source = "set by NativeLoader.builder().platform(..)";
        } else if (properties.apply(Platform.PROPERTY) != null && !properties.apply(Platform.PROPERTY).isBlank()) {
            token = properties.apply(Platform.PROPERTY).trim();
            source = "from -D" + Platform.PROPERTY;
        } else {
            token = Platform.current();
            source = "detected from " + Platform.describe() + ", " + (token.endsWith("-musl") ? "musl" : "glibc")
                    + "; -D" + Platform.PROPERTY + " overrides";
        }
        if (!token.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            throw new NativeLoadError("isolate-loader: bad platform token '" + token + "' (" + source + ")");
        }
        return new Target(token, source);
    }

    private Path pathProperty(String key) {
        String v = properties.apply(key);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    /** An index found, where it was found. */
    private record Found(URL url, NativeIndex index) {}

    /** The member {@code name} picked, in its index. */
    private record Choice(URL url, NativeIndex index, NativeIndex.Member member) {}

    /** Every {@code native/<platform>/isolate.index} the class loader sees (two jars may each bring a bundle). */
    private List<Found> indexes(String token, String context) {
        String resource = ROOT + token + "/" + NativeIndex.FILE_NAME;
        List<URL> urls;
        try {
            urls = Collections.list(classLoader.getResources(resource));
        } catch (IOException e) {
            throw new NativeLoadError("isolate-loader: cannot list " + resource + " for " + context + ": " + e, e);
        }
        if (urls.isEmpty()) {
            List<String> others = Platform.KNOWN.stream().filter(t -> !t.equals(token))
                    .filter(t -> classLoader.getResource(ROOT + t + "/" + NativeIndex.FILE_NAME) != null).toList();
            throw new NativeLoadError("isolate-loader: no " + resource + " visible to class loader "
                    + (classLoader.getName() != null ? classLoader.getName() : classLoader.toString()) + " for " + context + "; bundles on the class path: "
                    + (others.isEmpty() ? "none" : String.join(", ", others)) + ". Add the jar built for " + token
                    + " to the class path, or set -D" + Platform.PROPERTY);
        }
        Map<String, Found> unique = new LinkedHashMap<>(); // one jar on the class path twice is one bundle
        for (URL url : urls) {
            NativeIndex index = NativeIndex.parse(url.toString(), read(url, context));
            unique.putIfAbsent(index.sha256, new Found(url, index));
        }
        return List.copyOf(unique.values());
    }

    /** For a pre-extracted directory: its own {@code isolate.index} if it has one (an unpacked jar), else the class path's. */
    private List<Found> indexesFor(Path dir, String token, String context) {
        Path own = dir.resolve(NativeIndex.FILE_NAME);
        if (!Files.isRegularFile(own)) {
            return indexes(token, context);
        }
        try {
            URL url = own.toUri().toURL();
            return List.of(new Found(url, NativeIndex.parse(own.toString(), read(url, context))));
        } catch (IOException e) {
            throw new NativeLoadError("isolate-loader: cannot read " + own + " for " + context + ": " + e, e);
        }
    }

    private static byte[] read(URL url, String context) {
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readNBytes(MAX_INDEX + 1);
            if (bytes.length > MAX_INDEX) {
                throw new NativeLoadError("isolate-loader: " + url + " is larger than " + MAX_INDEX + " bytes: not an isolate index");
            }
            return bytes;
        } catch (IOException e) {
            throw new NativeLoadError("isolate-loader: cannot read " + url + " for " + context + ": " + e, e);
        }
    }

    /**
     * The best match over all indexes: an exact name before a {@code lib<name>.so} one before a
     * {@code lib<name>-<version>.so} one; two equally good is an error.
     */
    private static Choice choose(String name, List<Found> found, String context) {
        List<Choice> best = new ArrayList<>();
        int bestScore = 0;
        for (Found f : found) {
            for (NativeIndex.Member m : f.index.members) {
                int score = NativeIndex.match(m, name);
                if (score > bestScore) {
                    best.clear();
                    bestScore = score;
                }
                if (score > 0 && score == bestScore) {
                    best.add(new Choice(f.url, f.index, m));
                }
            }
        }
        if (best.isEmpty()) {
            List<String> members = new ArrayList<>();
            found.forEach(f -> f.index.members.forEach(m -> members.add(m.file())));
            throw new NativeLoadError("isolate-loader: no library matches " + context + " in "
                    + String.join(", ", found.stream().map(f -> f.index.resource).toList()) + " (members: " + String.join(", ", members)
                    + "); name one by file name, soname or original name");
        }
        if (best.size() > 1) {
            throw new NativeLoadError("isolate-loader: " + context + " is ambiguous: it matches "
                    + String.join(", ", best.stream().map(c -> c.member.file() + " (" + c.index.resource + ":" + c.member.line() + ")").toList())
                    + "; use the file name");
        }
        return best.get(0);
    }

    private static Extractor.Outcome extract(Choice c, List<ExtractionDirs.Candidate> candidates, String token, String context) {
        List<String> tried = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ExtractionDirs.Candidate d : candidates) {
            try {
                Extractor.Outcome o = Extractor.extract(c.index, c.url, d.base(), token);
                if (!skipped.isEmpty()) { // a fallback: say so once, the user may want to fix it or set -D..dir
                    System.getLogger(LOGGER).log(System.Logger.Level.INFO, "isolate-loader: skipped " + String.join(", ", skipped)
                            + "; using " + o.directory() + " (" + d.source() + ") for " + c.index.resource + " instead");
                }
                return o;
            } catch (Extractor.UnusableDirectory e) {
                tried.add(e.getMessage() + " [" + d.source() + "]");
                skipped.add(d.source() + " (" + e.getMessage() + ")");
            }
        }
        throw new NativeLoadError("isolate-loader: cannot extract " + c.index.resource + " for " + context + ": "
                + (tried.isEmpty() ? "no directory to try (no user.home, no java.io.tmpdir)" : String.join("; ", tried))
                + ". Set -D" + DIR_PROPERTY + "=DIR (or " + DIR_ENV
                + "=DIR) to a directory of this user's on a mount without noexec");
    }

    /** The libraries of a pre-extracted directory must be exactly the bundle's, like extracted ones. */
    private static void checkPreExtracted(Path dir, Choice c, String context) {
        Optional<Mounts.Mount> mount = Mounts.of(dir);
        if (mount.isPresent() && mount.get().noexec()) {
            throw new NativeLoadError("isolate-loader: cannot load " + context + " from " + dir + ": it is on a noexec mount "
                    + mount.get().describe() + "; unset -D" + FROM_PROPERTY + " or use a directory on a mount without noexec");
        }
        for (NativeIndex.Member m : c.index.loadOrder(c.member)) {
            Path file = dir.resolve(m.file());
            Optional<String> problem = Extractor.verify(file, m);
            if (problem.isPresent()) {
                throw new NativeLoadError("isolate-loader: cannot load " + context + ": " + file + " is " + problem.get() + " ("
                        + c.index.resource + ":" + m.line() + "); the directory given by -D" + FROM_PROPERTY
                        + " or fromDirectory(..) must hold the bundle's files unchanged");
            }
        }
    }

    private void systemLoad(Path file, Choice c, String context) {
        try {
            systemLoad.accept(file.toString());
        } catch (UnsatisfiedLinkError e) {
            String msg = String.valueOf(e.getMessage());
            String hint = "";
            if (msg.contains("already loaded in another classloader")) {
                hint = "; the JVM lets one class loader load a given library: load the bundle from one class loader (docs/loader.md)";
            } else if (msg.contains("failed to map segment")) {
                hint = Mounts.of(file.getParent()).map(m -> "; the mount " + m.describe()).orElse("")
                        + " may forbid executable mappings: set -D" + DIR_PROPERTY + " to another directory";
            }
            throw new NativeLoadError("isolate-loader: System.load(" + file + ") failed for " + context + ", member of "
                    + c.index.resource + ": " + msg + hint, e);
        }
    }

    private static Object lock(String key) {
        return LOCKS.computeIfAbsent(key, k -> new Object());
    }

    /** Options. What code sets here wins over the system properties, which win over detection and defaults. */
    public static final class Builder {
        private ClassLoader classLoader;
        private String platform;
        private Path extractTo;
        private Path fromDirectory;
        private boolean skipLoad;
        private Consumer<String> systemLoad = path -> System.load(path);
        private boolean segregate;
        private List<Class<?>> natives;
        private UnaryOperator<String> properties = System::getProperty;
        private UnaryOperator<String> environment = System::getenv;

        private Builder(Class<?> caller) {
            ClassLoader l = caller.getClassLoader();
            this.classLoader = l != null ? l : ClassLoader.getSystemClassLoader();
            this.natives = List.of(caller);
        }

        /** The class loader whose resources hold the bundle (default: the caller's). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Use the bundle under {@code native/<token>/} instead of the detected platform's. */
        public Builder platform(String token) {
            this.platform = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Extract under {@code dir} (a subdirectory per platform and bundle hash) instead of the default places. */
        public Builder extractTo(Path dir) {
            this.extractTo = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Load from {@code dir}, which holds the bundle's files already; extract nothing. Hashes are still checked. */
        public Builder fromDirectory(Path dir) {
            this.fromDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Load nothing: the application has loaded the libraries itself. */
        public Builder skipLoad() {
            this.skipLoad = true;
            return this;
        }

        /**
         * Loads each absolute path instead of {@code System.load} called from this class: pass
         * {@code System::load} from a class whose class loader should own the libraries (the one declaring the
         * native methods), or your own loading.
         */
        public Builder loadWith(Consumer<String> load) {
            this.systemLoad = Objects.requireNonNull(load, "load");
            return this;
        }

        /**
         * Loads the library and its bundled dependencies unmodified into a link-map namespace of their own
         * ({@code dlmopen}), even when the index does not ask for it (a bundle packaged with
         * {@code <mode>segregate</mode>} is always loaded so). JDK 22 or later, glibc only: docs/loader.md.
         */
        public Builder segregate() {
            this.segregate = true;
            return this;
        }

        /**
         * The classes whose {@code native} methods a segregated library's {@code Java_*} functions are bound to
         * (default: the class that called {@code load} or {@code builder()}). Not used by {@code System.load}ed
         * bundles, which the JVM binds itself.
         */
        public Builder natives(Class<?>... classes) {
            List<Class<?>> l = List.of(classes);
            if (l.isEmpty()) {
                throw new IllegalArgumentException("natives(..) needs at least one class");
            }
            this.natives = l;
            return this;
        }

        /** For tests: system properties. */
        Builder properties(UnaryOperator<String> lookup) {
            this.properties = lookup;
            return this;
        }

        /** For tests: environment variables. */
        Builder environment(UnaryOperator<String> lookup) {
            this.environment = lookup;
            return this;
        }

        /**
         * Loads {@code name} and its bundled dependencies with these options, like {@link NativeLoader#load(String)};
         * a library already loaded in this JVM is not loaded again.
         */
        public NativeLibrary load(String name) {
            if (extractTo != null && fromDirectory != null) {
                throw new IllegalStateException("extractTo(..) and fromDirectory(..) exclude each other");
            }
            return new NativeLoader(this).run(name);
        }
    }
}
