/* JNI glue linked against the bundled zlib (fakez.c): it returns to Java what *its* zlib says. The
 * natives belong to dev.isolate.engine.BundleProbe (src/test/java) unless -DJNI_CLASS=pkg_Class names
 * another class (the plugin's integration test uses its own). */
#include <jni.h>

#ifndef JNI_CLASS
#define JNI_CLASS dev_isolate_engine_BundleProbe
#endif
#define JNI_FN2(cls, name) Java_##cls##_##name
#define JNI_FN1(cls, name) JNI_FN2(cls, name)
#define JNI_FN(name) JNI_FN1(JNI_CLASS, name)

const char *zlibVersion(void);
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);

/* A non-JNI export of the glue: renamed by the usual policy. */
int zglue_calls;

JNIEXPORT jstring JNICALL JNI_FN(zlibVersion)(JNIEnv *env, jclass cls) {
    (void) cls;
    zglue_calls++;
    return (*env)->NewStringUTF(env, zlibVersion());
}

JNIEXPORT jlong JNICALL JNI_FN(crc32)(JNIEnv *env, jclass cls, jbyteArray data) {
    (void) cls;
    zglue_calls++;
    jsize n = (*env)->GetArrayLength(env, data);
    jbyte *b = (*env)->GetByteArrayElements(env, data, NULL);
    unsigned long c = crc32(0, (const unsigned char *) b, (unsigned int) n);
    (*env)->ReleaseByteArrayElements(env, data, b, JNI_ABORT);
    return (jlong) c;
}
