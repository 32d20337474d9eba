/*
 * libbadversion.so: JNI_OnLoad returns a JNI version no JVM has; the loader refuses it as the JVM would.
 *   gcc -shared -fPIC -O2 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -o libbadversion.so badversion.c
 */
#include <jni.h>

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    return 0x7fff0000;
}

JNIEXPORT jint JNICALL Java_dev_isolate_loader_SegregateJdk25Test_00024BadVersion_answer(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return 42;
}
