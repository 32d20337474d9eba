/* JNI glue linked against the bundled zlib (fakez.c): it returns to Java what *its* zlib says. The
 * natives belong to dev.isolate.engine.BundleProbe (src/test/java). */
#include <jni.h>

const char *zlibVersion(void);
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);

/* A non-JNI export of the glue: renamed by the usual policy. */
int zglue_calls;

JNIEXPORT jstring JNICALL Java_dev_isolate_engine_BundleProbe_zlibVersion(JNIEnv *env, jclass cls) {
    (void) cls;
    zglue_calls++;
    return (*env)->NewStringUTF(env, zlibVersion());
}

JNIEXPORT jlong JNICALL Java_dev_isolate_engine_BundleProbe_crc32(JNIEnv *env, jclass cls, jbyteArray data) {
    (void) cls;
    zglue_calls++;
    jsize n = (*env)->GetArrayLength(env, data);
    jbyte *b = (*env)->GetByteArrayElements(env, data, NULL);
    unsigned long c = crc32(0, (const unsigned char *) b, (unsigned int) n);
    (*env)->ReleaseByteArrayElements(env, data, b, JNI_ABORT);
    return (jlong) c;
}
