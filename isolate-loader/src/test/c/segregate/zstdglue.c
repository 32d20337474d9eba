/*
 * libzstdglue.so: a JNI glue linked against an unmodified copy of the system's libzstd.so.1, bundled beside it and
 * loaded segregated while the system copy is loaded globally (SegregateJdk25Test). Built by SegregateFixtures:
 *   gcc -shared -fPIC -O2 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -Wl,-soname,libzstdglue.so \
 *       -o libzstdglue.so zstdglue.c libzstd.so.1
 * (bench/segregate.sh adds -DJNI_CLASS=bench_SegregateBench for its own class.)
 */
#include <jni.h>
#include <stdlib.h>

size_t ZSTD_compressBound(size_t srcSize);
size_t ZSTD_compress(void *dst, size_t dstCapacity, const void *src, size_t srcSize, int level);
size_t ZSTD_decompress(void *dst, size_t dstCapacity, const void *src, size_t compressedSize);
unsigned ZSTD_isError(size_t code);

#ifndef JNI_CLASS
#define JNI_CLASS dev_isolate_loader_SegregateJdk25Test_00024Zstd
#endif
#define JNI_NAME2(c, m) Java_##c##_##m
#define JNI_NAME(c, m) JNI_NAME2(c, m)

/* Compresses and decompresses the bytes with the bundled libzstd; returns what came back, or null. */
JNIEXPORT jbyteArray JNICALL JNI_NAME(JNI_CLASS, roundTrip)(JNIEnv *env, jclass cls, jbyteArray in) {
    (void) cls;
    jsize n = (*env)->GetArrayLength(env, in);
    jbyte *src = (*env)->GetByteArrayElements(env, in, NULL);
    size_t cap = ZSTD_compressBound((size_t) n);
    void *packed = malloc(cap);
    void *back = malloc((size_t) n + 1);
    jbyteArray out = NULL;
    size_t c = ZSTD_compress(packed, cap, src, (size_t) n, 3);
    if (!ZSTD_isError(c)) {
        size_t d = ZSTD_decompress(back, (size_t) n + 1, packed, c);
        if (!ZSTD_isError(d)) {
            out = (*env)->NewByteArray(env, (jsize) d);
            (*env)->SetByteArrayRegion(env, out, 0, (jsize) d, back);
        }
    }
    free(packed);
    free(back);
    (*env)->ReleaseByteArrayElements(env, in, src, JNI_ABORT);
    return out;
}
