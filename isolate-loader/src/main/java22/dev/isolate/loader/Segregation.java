package dev.isolate.loader;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Segregated loading on JDK 22+ (the multi-release jar's {@code META-INF/versions/22/}; JDK 17 gets the class of
 * the same name that refuses). A bundle's libraries go unmodified into a link-map namespace of their own:
 * {@code dlmopen(LM_ID_NEWLM)} for the first, {@code dlmopen(lmid)} (lmid from {@code dlinfo(RTLD_DI_LMID)}) for
 * the rest, dependencies first, so each library's {@code DT_NEEDED} finds the bundle's copy already in the namespace
 * by SONAME, and what the bundle does not carry (libc, libstdc++) is loaded again into the namespace from the
 * system. Nothing there binds to the process's libraries, nor they to it.
 *
 * <p>The JVM never sees these libraries, so this class does what {@code System.load} and the JVM's lazy lookup do:
 * {@code RegisterNatives} binds each {@code native} method of the requesting classes to the library's
 * {@code Java_*} function (short name, then long name: {@link JniNames}), then {@code JNI_OnLoad(vm, NULL)} runs if
 * the library has one (its own {@code RegisterNatives} win, as they do over the JVM's lookup), and its version is
 * checked as the JVM checks it. {@code JNI_OnUnload} is never called: nothing here is ever unloaded.
 *
 * <p>How JNI is reached with no native code of our own, and why not by plain downcalls: a JNI function called
 * through an FFM downcall sees the JDK's {@code DowncallStub} as its caller, so {@code FindClass} (in our code or in
 * the library's {@code JNI_OnLoad}) searches the boot class loader only, and JNI local references made there live
 * until any {@code native} method called from Java returns. So the JVM makes those calls itself, as bodies of the
 * {@code native} methods of {@link Bridge}, bound to two tiny trampolines written into an executable page: each
 * drops the JNIEnv/jclass pair the JVM passes first and jumps to the function given as the first Java argument.
 * {@code Bridge}'s natives are bound once, by the only downcall JNI sequence: a {@code Bridge} is set as the thread's
 * context class loader, read back through {@code Thread} (a boot class), and its class given to {@code RegisterNatives}.
 * The {@code JavaVM} comes from libjvm's {@code JNI_GetCreatedJavaVMs}, the thread's {@code JNIEnv} from its
 * {@code GetEnv}, every JNI function from the function tables by its index in jni.h.
 */
final class Segregation {
    private Segregation() {}

    // <dlfcn.h>, <sys/mman.h>
    private static final long LM_ID_NEWLM = -1;
    private static final int RTLD_LAZY = 0x1;
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_NOLOAD = 0x4;
    private static final int RTLD_DI_LMID = 1;
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int PROT_EXEC = 0x4;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final long PAGE = 4096;

    // <jni.h>: JNINativeInterface_ and JNIInvokeInterface_ function indexes, versions
    private static final int GET_VERSION = 4;
    private static final int FIND_CLASS = 6;
    private static final int GET_OBJECT_CLASS = 31;
    private static final int EXCEPTION_CHECK = 228;
    private static final int GET_METHOD_ID = 33;
    private static final int CALL_OBJECT_METHOD_A = 36;
    private static final int GET_STATIC_METHOD_ID = 113;
    private static final int CALL_STATIC_OBJECT_METHOD_A = 116;
    private static final int REGISTER_NATIVES = 215;
    private static final int UNREGISTER_NATIVES = 216;
    private static final int GET_ENV = 6;
    private static final int JNI_OK = 0;
    private static final int JNI_VERSION_1_1 = 0x00010001;
    private static final int JNI_VERSION_1_6 = 0x00010006;
    /** Every version jni.h has defined (JDK 25); one a JVM supports is also at most its GetVersion. */
    private static final Set<Integer> JNI_VERSIONS = Set.of(0x00010001, 0x00010002, 0x00010004, 0x00010006, 0x00010008,
            0x00090000, 0x000a0000, 0x00130000, 0x00140000, 0x00150000, 0x00180000);
    /** {@code JNINativeMethod {char *name; char *signature; void *fnPtr;}}. */
    private static final long JNI_NATIVE_METHOD = 3 * ADDRESS.byteSize();

    /**
     * x86-64 SysV. A JNI native method gets (env, cls, a0, a1, a2, a3) in rdi, rsi, rdx, rcx, r8, r9; a0 is the
     * function to call. CALL_ENV: {@code endbr64; mov rax,rdx; mov rsi,rcx; mov rdx,r8; mov rcx,r9; jmp *rax}, i.e.
     * fn(env, a1, a2, a3). CALL_PLAIN: {@code endbr64; mov rax,rdx; mov rdi,rcx; mov rsi,r8; jmp *rax}, i.e.
     * fn(a1, a2). Tail jumps: the function returns straight to the JVM's native wrapper.
     */
    private static final byte[] CALL_ENV_X86_64 = bytes(0xf3, 0x0f, 0x1e, 0xfa, 0x48, 0x89, 0xd0, 0x48, 0x89, 0xce, 0x4c, 0x89, 0xc2,
            0x4c, 0x89, 0xc9, 0xff, 0xe0);
    private static final byte[] CALL_PLAIN_X86_64 = bytes(0xf3, 0x0f, 0x1e, 0xfa, 0x48, 0x89, 0xd0, 0x48, 0x89, 0xcf, 0x4c, 0x89,
            0xc6, 0xff, 0xe0);

    private static final Object LOCK = new Object();
    /** Namespaces this class created, by bundle, in order. */
    private static final Map<String, Namespace> NAMESPACES = new LinkedHashMap<>();
    private static final Map<Path, Library> LIBRARIES = new HashMap<>();
    /** The libraries each class's natives are bound to (weak: a class loader may go away). */
    private static final Map<Class<?>, Set<Path>> BOUND = new WeakHashMap<>();
    private static Native fns;

    private record Namespace(long lmid, String resource) {}

    private static final class Library {
        final MemorySegment handle;
        /** JNI_OnLoad has run (or there is none); {@code failed} is its refusal, repeated to later loads. */
        boolean loaded;
        NativeLoadError failed;

        Library(MemorySegment handle) {
            this.handle = handle;
        }
    }

    /**
     * The JNI calls the JVM makes for us (see the class comment); each {@code fn} is a JNI or library function.
     * A ClassLoader so that it can be the thread's context class loader while its natives are bound.
     */
    static final class Bridge extends ClassLoader {
        Bridge() {
            super(null);
        }

        /** {@code fn(env, c, methods, n)}: RegisterNatives. */
        static native int registerNatives(long fn, Class<?> c, long methods, int n);

        /** {@code fn(env, c)}: UnregisterNatives. */
        static native int unregisterNatives(long fn, Class<?> c);

        /** {@code fn(vm, reserved)}: JNI_OnLoad. */
        static native int onLoad(long fn, long vm, long reserved);
    }

    static void load(SegregateRequest r) {
        synchronized (LOCK) {
            Native n = natives(r);
            Namespace ns = NAMESPACES.get(r.bundle());
            for (Path file : r.order()) {
                if (LIBRARIES.containsKey(file)) {
                    continue;
                }
                if (ns == null && NAMESPACES.size() >= SegregateRequest.NAMESPACES - 1) {
                    throw new NativeLoadError(r.tooManyNamespaces(NAMESPACES.values().stream().map(Namespace::resource).toList()));
                }
                MemorySegment h = n.dlmopen(ns == null ? LM_ID_NEWLM : ns.lmid(), file);
                if (h.equals(MemorySegment.NULL)) {
                    throw new NativeLoadError(r.dlmopenFailed(file, n.dlerror()));
                }
                if (ns == null) {
                    ns = new Namespace(n.lmid(h, r), r.resource());
                    NAMESPACES.put(r.bundle(), ns);
                }
                LIBRARIES.put(file, new Library(h));
            }
            Library lib = LIBRARIES.get(r.library());
            if (lib.failed != null) {
                throw lib.failed;
            }
            List<Class<?>> bound = new ArrayList<>();
            for (Class<?> c : r.natives()) {
                if (!BOUND.computeIfAbsent(c, k -> new HashSet<>()).contains(r.library())) {
                    if (n.bind(c, lib.handle, r)) {
                        bound.add(c);
                    }
                    BOUND.get(c).add(r.library());
                }
            }
            if (!lib.loaded) {
                lib.loaded = true;
                try {
                    n.onLoad(lib.handle, r);
                } catch (NativeLoadError e) {
                    lib.failed = e;
                    for (Class<?> c : bound) {
                        n.unbind(c);
                    }
                    throw e;
                }
            }
        }
    }

    private static Native natives(SegregateRequest r) {
        if (fns == null) {
            try {
                fns = new Native(r);
            } catch (IllegalCallerException e) {
                Module m = Segregation.class.getModule();
                throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": native access is not enabled for "
                        + (m.isNamed() ? "module " + m.getName() : "the class path") + " (" + e.getMessage()
                        + "); start the JVM with --enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED"), e);
            }
        }
        return fns;
    }

    /** libc's dl* functions, the JavaVM, and its JNI function table. */
    private static final class Native {
        final Linker linker = Linker.nativeLinker();
        final MethodHandle dlmopen;
        final MethodHandle dlopen;
        final MethodHandle dlsym;
        final MethodHandle dlerror;
        final MethodHandle dlinfo;
        final MemorySegment vm;
        /** The JNIEnv function table: the same for every thread of the JVM. */
        final MemorySegment jni;

        Native(SegregateRequest r) {
            if (!System.getProperty("os.arch").equals("amd64")) {
                throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": segregated loading is implemented"
                        + " for x86_64 only so far (os.arch=" + System.getProperty("os.arch") + "); package the bundle renamed"
                        + " (plugin <mode>rename</mode>)");
            }
            SymbolLookup libc = linker.defaultLookup();
            Optional<MemorySegment> m = libc.find("dlmopen");
            if (m.isEmpty()) {
                throw new NativeLoadError(r.musl());
            }
            dlmopen = linker.downcallHandle(m.get(), FunctionDescriptor.of(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT));
            dlopen = linker.downcallHandle(libc.find("dlopen").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
            dlsym = linker.downcallHandle(libc.find("dlsym").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
            dlerror = linker.downcallHandle(libc.find("dlerror").orElseThrow(), FunctionDescriptor.of(ADDRESS));
            dlinfo = linker.downcallHandle(libc.find("dlinfo").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            vm = javaVm(r);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment env = env(a);
                jni = env.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0).reinterpret(240 * ADDRESS.byteSize());
                bindBridge(env, trampolines(libc, r), libc, a, r);
            }
        }

        /** The one JavaVM: {@code JNI_GetCreatedJavaVMs} of the libjvm already loaded (found by SONAME, not loaded again). */
        private MemorySegment javaVm(SegregateRequest r) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment jvm = (MemorySegment) dlopen.invokeExact(a.allocateFrom("libjvm.so"), RTLD_LAZY | RTLD_NOLOAD);
                MemorySegment f = jvm.equals(MemorySegment.NULL) ? MemorySegment.NULL
                        : (MemorySegment) dlsym.invokeExact(jvm, a.allocateFrom("JNI_GetCreatedJavaVMs"));
                if (f.equals(MemorySegment.NULL)) {
                    throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": no JNI_GetCreatedJavaVMs in a loaded"
                            + " libjvm.so (" + dlerror() + ")");
                }
                MethodHandle get = linker.downcallHandle(f, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
                MemorySegment buf = a.allocate(ADDRESS);
                MemorySegment count = a.allocate(JAVA_INT);
                int rc = (int) get.invokeExact(buf, 1, count);
                if (rc != JNI_OK || count.get(JAVA_INT, 0) < 1) {
                    throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": JNI_GetCreatedJavaVMs returned " + rc
                            + " with " + count.get(JAVA_INT, 0) + " JavaVMs");
                }
                return buf.get(ADDRESS, 0).reinterpret(ADDRESS.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** The current thread's JNIEnv: {@code (*vm)->GetEnv(vm, &env, JNI_VERSION_1_6)}. */
        private MemorySegment env(Arena a) {
            try {
                MemorySegment table = vm.get(ADDRESS, 0).reinterpret(8 * ADDRESS.byteSize());
                MethodHandle getEnv = linker.downcallHandle(table.getAtIndex(ADDRESS, GET_ENV),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
                MemorySegment out = a.allocate(ADDRESS);
                int rc = (int) getEnv.invokeExact(vm, out, JNI_VERSION_1_6);
                if (rc != JNI_OK) {
                    throw new IllegalStateException("GetEnv failed (" + rc + ") on thread " + Thread.currentThread().getName());
                }
                return out.get(ADDRESS, 0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** The two trampolines in a page of their own, made read-only and executable once written. */
        private MemorySegment trampolines(SymbolLookup libc, SegregateRequest r) {
            try {
                MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
                MethodHandle mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
                MemorySegment page = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, PAGE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
                if (page.address() == -1L) {
                    throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": mmap of one page failed");
                }
                page = page.reinterpret(PAGE);
                MemorySegment.copy(CALL_ENV_X86_64, 0, page, JAVA_BYTE, 0, CALL_ENV_X86_64.length);
                MemorySegment.copy(CALL_PLAIN_X86_64, 0, page, JAVA_BYTE, 32, CALL_PLAIN_X86_64.length);
                if ((int) mprotect.invokeExact(page, PAGE, PROT_READ | PROT_EXEC) != 0) {
                    throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": mprotect(PROT_EXEC) of the JNI"
                            + " trampolines was refused (a policy forbidding executable memory?)");
                }
                return page;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /**
         * Binds {@link Bridge}'s natives to the trampolines: the one JNI sequence made of downcalls. Its local
         * references are used at once, with nothing in between that could call a native method: every handle is made
         * first, and the JDK's stub for each function shape has run (initialized) on {@code getpid}, since the first
         * call through a new stub initializes its class by a native method, which would free the references.
         * -Xcheck:jni in SegregateJdk25Test's JVMs reports a bad reference.
         */
        private void bindBridge(MemorySegment env, MemorySegment page, SymbolLookup libc, Arena a, SegregateRequest r) {
            FunctionDescriptor ref1 = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor ref3 = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor registerFd = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
            FunctionDescriptor checkFd = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS);
            MemorySegment getpid = libc.find("getpid").orElseThrow();
            for (FunctionDescriptor fd : List.of(ref1, ref3, registerFd, checkFd)) {
                Object[] args = fd.argumentLayouts().stream().map(l -> l.equals(JAVA_INT) ? (Object) 0 : MemorySegment.NULL).toArray();
                try {
                    MethodHandle warm = linker.downcallHandle(getpid, fd); // ignores its arguments
                    warm.invokeWithArguments(args);
                    warm.invokeWithArguments(args);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            }
            MethodHandle findClass = fn(FIND_CLASS, ref1);
            MethodHandle getStaticMethodId = fn(GET_STATIC_METHOD_ID, ref3);
            MethodHandle callStaticObject = fn(CALL_STATIC_OBJECT_METHOD_A, ref3);
            MethodHandle getMethodId = fn(GET_METHOD_ID, ref3);
            MethodHandle callObject = fn(CALL_OBJECT_METHOD_A, ref3);
            MethodHandle getObjectClass = fn(GET_OBJECT_CLASS, ref1);
            MethodHandle register = fn(REGISTER_NATIVES, registerFd);
            MethodHandle exceptionCheck = fn(EXCEPTION_CHECK, checkFd); // after each call into Java, as -Xcheck:jni wants
            MemorySegment threadName = a.allocateFrom("java/lang/Thread");
            MemorySegment currentThread = a.allocateFrom("currentThread");
            MemorySegment currentThreadSig = a.allocateFrom("()Ljava/lang/Thread;");
            MemorySegment getCcl = a.allocateFrom("getContextClassLoader");
            MemorySegment getCclSig = a.allocateFrom("()Ljava/lang/ClassLoader;");
            MemorySegment methods = a.allocate(JNI_NATIVE_METHOD * 3, 8);
            entry(methods, 0, a, "registerNatives", "(JLjava/lang/Class;JI)I", page);
            entry(methods, 1, a, "unregisterNatives", "(JLjava/lang/Class;)I", page);
            entry(methods, 2, a, "onLoad", "(JJJ)I", page.asSlice(32));
            Thread t = Thread.currentThread();
            ClassLoader old = t.getContextClassLoader();
            t.setContextClassLoader(new Bridge());
            int rc;
            try {
                MemorySegment tc = (MemorySegment) findClass.invokeExact(env, threadName);
                MemorySegment cur = (MemorySegment) getStaticMethodId.invokeExact(env, tc, currentThread, currentThreadSig);
                MemorySegment thread = (MemorySegment) callStaticObject.invokeExact(env, tc, cur, MemorySegment.NULL);
                boolean thrown = (boolean) exceptionCheck.invokeExact(env);
                MemorySegment ccl = (MemorySegment) getMethodId.invokeExact(env, tc, getCcl, getCclSig);
                MemorySegment bridge = (MemorySegment) callObject.invokeExact(env, thread, ccl, MemorySegment.NULL);
                thrown |= (boolean) exceptionCheck.invokeExact(env);
                MemorySegment bridgeClass = (MemorySegment) getObjectClass.invokeExact(env, bridge);
                rc = (int) register.invokeExact(env, bridgeClass, methods, 3);
            } catch (Throwable e) {
                throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": binding the loader's JNI bridge failed: " + e, e);
            } finally {
                t.setContextClassLoader(old);
            }
            if (rc != JNI_OK) {
                throw new NativeLoadError("isolate-loader: cannot segregate " + r.context() + ": RegisterNatives of the loader's JNI bridge returned " + rc);
            }
        }

        private static void entry(MemorySegment methods, int i, Arena a, String name, String signature, MemorySegment fn) {
            MemorySegment e = methods.asSlice(i * JNI_NATIVE_METHOD, JNI_NATIVE_METHOD);
            e.set(ADDRESS, 0, a.allocateFrom(name));
            e.set(ADDRESS, ADDRESS.byteSize(), a.allocateFrom(signature));
            e.set(ADDRESS, 2 * ADDRESS.byteSize(), fn);
        }

        /** A JNIEnv function by its index in jni.h. */
        private MethodHandle fn(int index, FunctionDescriptor fd) {
            return linker.downcallHandle(jniFunction(index), fd);
        }

        private MemorySegment jniFunction(int index) {
            return jni.getAtIndex(ADDRESS, index);
        }

        MemorySegment dlmopen(long lmid, Path file) {
            try (Arena a = Arena.ofConfined()) {
                return (MemorySegment) dlmopen.invokeExact(lmid, a.allocateFrom(file.toString()), RTLD_NOW);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        String dlerror() {
            try {
                MemorySegment s = (MemorySegment) dlerror.invokeExact();
                return s.equals(MemorySegment.NULL) ? "(no dlerror text)" : s.reinterpret(Integer.MAX_VALUE).getString(0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        long lmid(MemorySegment handle, SegregateRequest r) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_LONG);
                int rc = (int) dlinfo.invokeExact(handle, RTLD_DI_LMID, out);
                if (rc != 0) {
                    throw new NativeLoadError("isolate-loader: dlinfo(RTLD_DI_LMID) failed for " + r.context() + ": " + dlerror());
                }
                return out.get(JAVA_LONG, 0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        MemorySegment symbol(MemorySegment handle, String name, Arena a) {
            try {
                return (MemorySegment) dlsym.invokeExact(handle, a.allocateFrom(name));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /**
         * Binds {@code c}'s native methods that have a {@code Java_*} function in the library; the others are left to
         * the JVM, which fails them with UnsatisfiedLinkError when called, as for any missing function. Returns
         * whether anything was bound.
         */
        boolean bind(Class<?> c, MemorySegment library, SegregateRequest r) {
            if (c.isHidden()) {
                throw new NativeLoadError("isolate-loader: cannot bind the natives of hidden class " + c.getName() + " for " + r.context());
            }
            try (Arena a = Arena.ofConfined()) {
                List<JniNames.NativeMethod> methods = JniNames.of(c);
                MemorySegment table = a.allocate(JNI_NATIVE_METHOD * Math.max(1, methods.size()), 8);
                int count = 0;
                for (JniNames.NativeMethod m : methods) {
                    MemorySegment f = symbol(library, m.shortName(), a);
                    if (f.equals(MemorySegment.NULL)) {
                        f = symbol(library, m.longName(), a);
                    }
                    if (!f.equals(MemorySegment.NULL)) {
                        entry(table, count++, a, m.name(), m.descriptor(), f);
                    }
                }
                if (count == 0) {
                    return false;
                }
                try {
                    Bridge.registerNatives(jniFunction(REGISTER_NATIVES).address(), c, table.address(), count);
                } catch (LinkageError e) {
                    throw new NativeLoadError("isolate-loader: RegisterNatives failed for " + c.getName() + " and " + r.library() + " ("
                            + r.context() + "): " + e, e);
                }
                return true;
            }
        }

        /** After a refused JNI_OnLoad: the class's natives are bound to nothing again. */
        void unbind(Class<?> c) {
            Bridge.unregisterNatives(jniFunction(UNREGISTER_NATIVES).address(), c);
        }

        /** {@code JNI_OnLoad(vm, NULL)}, if the library has one, and the version it returns checked as the JVM does. */
        void onLoad(MemorySegment library, SegregateRequest r) {
            MemorySegment f;
            try (Arena a = Arena.ofConfined()) {
                f = symbol(library, "JNI_OnLoad", a);
            }
            if (f.equals(MemorySegment.NULL)) {
                return; // a JNI 1.1 library
            }
            int version;
            try {
                version = Bridge.onLoad(f.address(), vm.address(), 0L);
            } catch (RuntimeException | LinkageError e) {
                throw new NativeLoadError("isolate-loader: JNI_OnLoad of " + r.library() + " threw " + e + " (" + r.context() + ")", e);
            }
            int supported;
            try {
                MemorySegment env;
                try (Arena a = Arena.ofConfined()) {
                    env = env(a);
                }
                supported = (int) fn(GET_VERSION, FunctionDescriptor.of(JAVA_INT, ADDRESS)).invokeExact(env);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (!JNI_VERSIONS.contains(version) || Integer.compareUnsigned(version, supported) > 0 && version != JNI_VERSION_1_1) {
                throw new NativeLoadError(String.format("isolate-loader: unsupported JNI version 0x%08x returned by JNI_OnLoad of %s"
                        + " (%s); this JVM supports up to 0x%08x", version, r.library(), r.context(), supported));
            }
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
