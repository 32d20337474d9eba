/* netty-tcnative's pattern (its libnetty_tcnative_linux_x86_64.so): weak fallbacks of glibc functions whose
 * bodies never return (a jmp to itself), exported, and called. They only work because libc's definitions,
 * found first in the global scope, win the lookup: renamed, the library's calls bind to the fallback and
 * JNI_OnLoad never returns. Plus a strong definition of a C runtime name that answers wrongly (__isnan):
 * kept, libc's answers. Natives of dev.isolate.engine.WeakStrdupMain.
 *
 *   built by the Makefile (x86_64 only: no aarch64 JVM runs here):
 *   gcc -Wall -Wextra -O1 -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -shared \
 *       -Wl,-soname,libweakstrdup.so -o libweakstrdup.so weakstrdup.c
 *
 * objdump -d shows __strdup as `jmp <__strdup>` (itself): the loop is in the code. */
#include <jni.h>

/* glibc exports both; <string.h> and <math.h> no longer declare them. */
char *__strdup(const char *s);
int __isnan(double x);

__attribute__((weak)) char *__strdup(const char *s) {
    (void) s;
    for (;;) {
    }
}

int __isnan(double x) {
    (void) x;
    return -1;
}

static char *copy;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    copy = __strdup("libc's __strdup answered");
    return JNI_VERSION_1_8;
}

JNIEXPORT jstring JNICALL Java_dev_isolate_engine_WeakStrdupMain_copy(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, copy);
}

JNIEXPORT jint JNICALL Java_dev_isolate_engine_WeakStrdupMain_isnan(JNIEnv *env, jclass cls, jdouble x) {
    (void) env;
    (void) cls;
    return __isnan(x);
}
