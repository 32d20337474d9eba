/*
 * libverglue.so: one JNI glue for both bundles of libver.so.1; each bundle binds one of the two classes.
 *   gcc -shared -fPIC -O2 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -Wl,-soname,libverglue.so \
 *       -o libverglue.so verglue.c libver.so.1
 */
#include <jni.h>

int ver_version(void);

JNIEXPORT jint JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024VersionOne_version(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return ver_version();
}

JNIEXPORT jint JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024VersionTwo_version(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return ver_version();
}
