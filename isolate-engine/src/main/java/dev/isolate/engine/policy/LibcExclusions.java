package dev.isolate.engine.policy;

import java.util.List;
import java.util.Set;

/**
 * C runtime and libc names that are never renamed, even when a library re-exports them (allocator
 * wrappers, {@code strdup} fallbacks, libstdc++'s {@code __cxa_*} ABI): the process must keep one
 * copy of each. The list follows the reference tool's (seed 000): exact names plus globs.
 */
public final class LibcExclusions {
    private LibcExclusions() {}

    static final Set<String> NAMES = Set.of(
            // memory
            "malloc", "free", "calloc", "realloc", "reallocarray", "memalign", "posix_memalign", "aligned_alloc",
            "valloc", "pvalloc", "malloc_usable_size", "malloc_trim", "mallopt", "mallinfo", "mallinfo2",
            // strings and memory blocks
            "memcpy", "memmove", "memset", "memcmp", "memchr", "memrchr", "mempcpy", "strlen", "strnlen", "strcpy",
            "strncpy", "stpcpy", "stpncpy", "strcat", "strncat", "strcmp", "strncmp", "strcasecmp", "strncasecmp",
            "strchr", "strrchr", "strstr", "strdup", "strndup", "strerror", "strerror_r", "strtok", "strtok_r",
            "strspn", "strcspn", "strpbrk", "strcoll", "strxfrm", "strsignal", "bzero", "bcopy", "bcmp",
            // stdio
            "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsprintf", "vsnprintf", "asprintf",
            "vasprintf", "dprintf", "puts", "fputs", "fputc", "putc", "putchar", "fgets", "fgetc", "getc", "getchar",
            "ungetc", "fopen", "fdopen", "freopen", "fclose", "fread", "fwrite", "fflush", "fseek", "ftell", "rewind",
            "fileno", "feof", "ferror", "clearerr", "setvbuf", "setbuf", "perror", "sscanf", "fscanf", "scanf",
            "vsscanf", "tmpfile", "remove", "rename",
            // stdlib
            "abort", "exit", "_exit", "_Exit", "atexit", "on_exit", "at_quick_exit", "quick_exit", "qsort", "bsearch",
            "getenv", "secure_getenv", "setenv", "unsetenv", "putenv", "atoi", "atol", "atoll", "atof", "strtol",
            "strtoul", "strtoll", "strtoull", "strtod", "strtof", "strtold", "abs", "labs", "llabs", "div", "rand",
            "srand", "random", "srandom", "system",
            // dynamic loading
            "dlopen", "dlclose", "dlsym", "dlvsym", "dlerror", "dladdr", "dladdr1", "dlinfo", "dl_iterate_phdr",
            // errno, signals, environment
            "__errno_location", "errno", "signal", "sigaction", "raise", "kill", "environ", "__environ",
            // files and processes
            "open", "close", "read", "write", "lseek", "fstat", "stat", "lstat", "mmap", "munmap", "mprotect",
            "getpid", "fork", "execve", "waitpid", "sysconf", "getpagesize", "clock_gettime", "gettimeofday", "time",
            // math
            "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp", "exp2", "log",
            "log2", "log10", "pow", "sqrt", "cbrt", "floor", "ceil", "round", "trunc", "fabs", "fmod", "frexp",
            "ldexp", "modf", "sinf", "cosf", "expf", "logf", "powf", "sqrtf", "floorf", "ceilf", "fabsf",
            // C runtime objects
            "__dso_handle", "__gmon_start__", "__tls_get_addr", "__stack_chk_fail", "__stack_chk_guard",
            "__assert_fail", "__cxa_finalize", "__cxa_atexit", "_ITM_registerTMCloneTable",
            "_ITM_deregisterTMCloneTable", "__libc_start_main", "__progname", "__progname_full", "stdin", "stdout",
            "stderr");

    static final List<String> GLOBS = List.of("__cxa_*", "__gcc_*", "__gxx_*", "_Unwind_*", "__libc_*", "__stack_chk_*",
            "pthread_*", "__pthread_*", "_ITM_*", "_IO_*", "__assert*", "__ctype_*", "__register_frame*",
            "__deregister_frame*", "__isoc99_*", "__*_chk", "__sanitizer_*", "__asan_*", "__ubsan_*", "__tsan_*",
            "__msan_*", "__lsan_*");

    /** The names and the globs as one matcher: a name is looked at once, not once per glob. */
    private static final GlobSet MATCHER = new GlobSet(GLOBS, List.copyOf(NAMES));

    public static boolean matches(String name) {
        return MATCHER.matches(name);
    }
}
