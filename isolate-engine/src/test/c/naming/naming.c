/* naming.c - a library whose SONAME is not a plain library file name (issue 12). Linked by the Makefile
 * with -Wl,-soname,../build/libpath.so (as JNA ships libjnidispatch.so) and with
 * -Wl,-soname,libplaceholder-@VERSION@.so (netty-tcnative's unexpanded placeholder); -DNAMING_JNI adds a
 * Java_ entry point, which makes it a JNI library. */
#define EXPORT __attribute__((visibility("default")))

EXPORT int naming_value(void) { return 7; }

#ifdef NAMING_JNI
EXPORT int Java_dev_isolate_engine_Naming_value(void) { return naming_value() + 1; }
#endif
