/*
 * libglue.so: a JNI library that needs libacme_dep.so.1 through DT_NEEDED and has no RUNPATH, so dlopen finds
 * the dependency only when it is already loaded: it loads only in the right order. Built by BundleFixture:
 *   gcc -shared -fPIC -O2 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -Wl,-soname,libglue.so \
 *       -o libglue.so glue.c libacme_dep.so.1
 */
#include <jni.h>

int acme_dep_mul(int a, int b);

JNIEXPORT jint JNICALL Java_dev_isolate_loader_Glue_mul(JNIEnv *env, jclass cls, jint a, jint b) {
    (void) env;
    (void) cls;
    return acme_dep_mul(a, b);
}
